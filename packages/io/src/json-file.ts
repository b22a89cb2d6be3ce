import { readFile } from 'node:fs/promises';
import { FormatError, NotFoundError } from '@kadapter/core';

/** Reads and parses a JSON file: a missing file is a NotFoundError, bad JSON a FormatError with its line. */
export async function readJsonFile(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new NotFoundError('no such file', { file: path, cause: err });
    }
    throw err;
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    const message = (err as Error).message;
    const position = /position (\d+)/.exec(message);
    const line = position ? text.slice(0, Number(position[1])).split('\n').length : undefined;
    throw new FormatError(`invalid JSON (${message})`, { file: path, ...(line ? { line } : {}), cause: err });
  }
}

/** A JSON object (not an array or a primitive), or a FormatError naming the file. */
export function asJsonObject(value: unknown, file: string, field?: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new FormatError(`expected a JSON object`, { file, ...(field ? { field } : {}) });
  }
  return value as Record<string, unknown>;
}
