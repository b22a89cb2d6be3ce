/**
 * Version of the typed contracts below. A knowledge-adapter package declares the contract version
 * it was written against; modules with another major version are refused at load time.
 */
export const CONTRACT_VERSION = '2.0.0';

/** Major version of a semver-like string ("1.2.3" -> 1), or undefined when it does not parse. */
export function majorVersion(version: string): number | undefined {
  const m = /^(\d+)\.\d+\.\d+/.exec(version);
  return m ? Number(m[1]) : undefined;
}
