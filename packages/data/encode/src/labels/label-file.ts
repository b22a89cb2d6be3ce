import { readFile } from 'node:fs/promises';
import { FormatError, NotFoundError } from '@kadapter/core';

/**
 * A label list file: a JSON array of strings (FIGER's `labels.json`) with distinct entries; the
 * position of a label is its id. Errors name the file (and the offending entry).
 */
export async function readLabelList(file: string): Promise<string[]> {
  const text = await readFile(file, 'utf8').catch((err: NodeJS.ErrnoException) => {
    throw new NotFoundError(`cannot read label list (${err.code ?? 'error'})`, { file, cause: err });
  });
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new FormatError(`label list is not valid JSON (${(err as Error).message})`, { file, cause: err });
  }
  if (!Array.isArray(value) || value.length === 0)
    throw new FormatError('expected a non-empty JSON array of label strings', { file });
  const seen = new Set<string>();
  for (const [i, label] of value.entries()) {
    if (typeof label !== 'string')
      throw new FormatError(`entry ${i} is ${JSON.stringify(label)}, not a string`, { file, field: `[${i}]` });
    if (seen.has(label))
      throw new FormatError(`label ${JSON.stringify(label)} appears twice`, { file, field: `[${i}]` });
    seen.add(label);
  }
  return value as string[];
}
