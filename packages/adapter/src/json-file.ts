import { readFile } from 'node:fs/promises';
import { FormatError, NotFoundError } from '@kadapter/core';
import type { z } from 'zod';

/**
 * Reads a JSON file and validates it with a zod schema. A missing file is a NotFoundError; bad
 * JSON or a schema violation is a FormatError naming the file and the first offending field.
 */
export async function readJsonFile<T>(path: string, schema: z.ZodType<T>): Promise<T> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as { code?: string }).code === 'ENOENT')
      throw new NotFoundError('file not found', { file: path, cause: err });
    throw err;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new FormatError(`not valid JSON (${(err as Error).message})`, { file: path, cause: err });
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue && issue.path.length > 0 ? issue.path.join('.') : undefined;
    throw new FormatError(issue ? issue.message : 'does not match the schema', {
      file: path,
      ...(field !== undefined ? { field } : {}),
    });
  }
  return parsed.data;
}
