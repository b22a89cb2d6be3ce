import { readFile } from 'node:fs/promises';
import { FormatError } from '@kadapter/core';
import { readError } from './read-error.js';

/**
 * What `readJsonFile` validates with: anything with a zod-style `safeParse` (a zod schema fits).
 * The first issue names the message and the field path.
 */
export interface JsonSchema<T> {
  safeParse(
    value: unknown,
  ):
    | { success: true; data: T }
    | { success: false; error: { issues: ReadonlyArray<{ message: string; path: ReadonlyArray<PropertyKey> }> } };
}

/** Reads a UTF-8 text file; a missing or unreadable file is a NotFoundError naming it. */
export async function readTextFile(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    throw readError(err, path);
  }
}

/**
 * Parses JSON text read from `file`. A syntax error is a FormatError naming the file and, where
 * the runtime reports where parsing stopped, its line (1-based) and UTF-8 byte offset.
 */
export function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    const message = (err as Error).message;
    const at = /position (\d+)/.exec(message);
    const pos = at ? Number(at[1]) : /end of JSON input/.test(message) ? text.length : undefined;
    const where =
      pos === undefined
        ? {}
        : { line: text.slice(0, pos).split('\n').length, offset: Buffer.byteLength(text.slice(0, pos)) };
    throw new FormatError(`invalid JSON (${message})`, { file, ...where, cause: err });
  }
}

/**
 * Reads and parses a JSON file, validated by `schema` when one is given. A missing file is a
 * NotFoundError; bad JSON is a FormatError with its line and byte offset (see `parseJson`); a
 * schema violation is a FormatError naming the file and the first offending field.
 */
export async function readJsonFile(path: string): Promise<unknown>;
export async function readJsonFile<T>(path: string, schema: JsonSchema<T>): Promise<T>;
export async function readJsonFile<T>(path: string, schema?: JsonSchema<T>): Promise<unknown> {
  const value = parseJson(await readTextFile(path), path);
  if (schema === undefined) return value;
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue && issue.path.length > 0 ? issue.path.map(String).join('.') : undefined;
  throw new FormatError(issue ? issue.message : 'does not match the schema', {
    file: path,
    ...(field !== undefined ? { field } : {}),
  });
}

/** True for a JSON object (not an array, null or a primitive). */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A JSON object (not an array or a primitive), or a FormatError naming the file (and field). */
export function asJsonObject(value: unknown, file: string, field?: string): Record<string, unknown> {
  if (!isJsonObject(value)) throw new FormatError('expected a JSON object', { file, ...(field ? { field } : {}) });
  return value;
}
