import { FormatError } from '@kadapter/core';
import { readJsonFile } from '@kadapter/files';

/**
 * A label list file: a JSON array of strings (FIGER's `labels.json`) with distinct entries; the
 * position of a label is its id. Errors name the file (and the offending entry).
 */
export async function readLabelList(file: string): Promise<string[]> {
  const value = await readJsonFile(file);
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
