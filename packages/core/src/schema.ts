import { ConfigError } from './errors.js';

/**
 * What configs are validated with: anything with a zod-style `safeParse` (a zod schema fits), so
 * this package needs no validation library. Packages that define configs use zod.
 */
export interface Schema<T> {
  safeParse(
    value: unknown,
  ):
    | { success: true; data: T }
    | { success: false; error: { issues: ReadonlyArray<{ message: string; path: ReadonlyArray<PropertyKey> }> } };
}

/** The field path of a schema issue (`heads.0.labels`), or undefined at the top level. */
export function issueField(path: ReadonlyArray<PropertyKey>, prefix?: string): string | undefined {
  const parts = [...(prefix ? [prefix] : []), ...path.map(String)];
  return parts.length > 0 ? parts.join('.') : undefined;
}

/**
 * `value` validated by `schema`, or a ConfigError naming `source` (a file or a description), the
 * field (under `prefix`, e.g. `fusion`) and the first problem.
 */
export function parseConfig<T>(schema: Schema<T>, value: unknown, source: string, prefix?: string): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue ? issueField(issue.path, prefix) : prefix;
  throw new ConfigError(issue ? issue.message : 'does not match the schema', {
    file: source,
    ...(field !== undefined ? { field } : {}),
  });
}
