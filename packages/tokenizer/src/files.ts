import { readFile } from 'node:fs/promises';
import { FormatError, NotFoundError } from '@kadapter/core';

/** Reads a UTF-8 text file; a missing or unreadable file is a NotFoundError naming it. */
export async function readTextFile(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    throw new NotFoundError(`cannot read tokenizer file (${(err as NodeJS.ErrnoException).code ?? 'error'})`, {
      file: path,
      cause: err,
    });
  }
}

/**
 * Parses JSON text; a syntax error is a FormatError naming the file and the byte offset where
 * parsing stopped (V8 reports a string position, converted here to UTF-8 bytes).
 */
export function parseJson(text: string, path: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    const message = (err as Error).message;
    const m = /position (\d+)/.exec(message);
    const pos = m ? Number(m[1]) : /end of JSON input/.test(message) ? text.length : undefined;
    throw new FormatError(`not valid JSON (${message})`, {
      file: path,
      ...(pos === undefined ? {} : { offset: Buffer.byteLength(text.slice(0, pos)) }),
      cause: err,
    });
  }
}

export async function readJsonFile(path: string): Promise<unknown> {
  return parseJson(await readTextFile(path), path);
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
