import { readFile } from 'node:fs/promises';
import { FormatError, NotFoundError } from '@kadapter/core';

/** Reads and parses a JSON file; a missing file is a NotFoundError, bad JSON a FormatError with its line. */
export async function readJsonFile(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new NotFoundError('file not found', { file: path });
    throw err;
  }
  return parseJson(text, path);
}

/** JSON.parse whose errors name the file and the line of the fault. */
export function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    const message = (err as Error).message;
    const m = /position (\d+)/.exec(message);
    const line = m ? text.slice(0, Number(m[1])).split('\n').length : undefined;
    throw new FormatError(`invalid JSON (${message})`, { file, ...(line === undefined ? {} : { line }), cause: err });
  }
}
