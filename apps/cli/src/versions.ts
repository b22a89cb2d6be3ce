import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

function versionOf(packageJson: string | URL): string {
  return (JSON.parse(readFileSync(packageJson, 'utf8')) as { version: string }).version;
}

/** Version of this CLI (@kadapter/cli). */
export function cliVersion(): string {
  // src/ and dist/ sit beside package.json
  return versionOf(new URL('../package.json', import.meta.url));
}

/** Version of the @kadapter/core the CLI runs with. */
export function coreVersion(): string {
  return versionOf(require.resolve('@kadapter/core/package.json'));
}
