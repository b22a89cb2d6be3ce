import { FormatError } from '@kadapter/core';
import { isJsonObject, readJsonFile } from '@kadapter/files';

/**
 * A label list file; the position of a label is its id. Two forms are read:
 * - a JSON array of distinct strings (FIGER's `labels.json`);
 * - a JSON object mapping each label to its id, ids 0..n-1 each used once (the `relations.json`
 *   that `build-data trex` and the official notebook write).
 * Errors name the file and the offending entry.
 */
export async function readLabelList(file: string): Promise<string[]> {
  const value = await readJsonFile(file);
  if (isJsonObject(value)) return labelsFromIndex(value, file);
  if (!Array.isArray(value) || value.length === 0)
    throw new FormatError('expected a non-empty JSON array of label strings, or an object {label: id}', { file });
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

/** `{label: id}` → labels ordered by id; the ids must be 0..n-1, each once. */
function labelsFromIndex(index: Record<string, unknown>, file: string): string[] {
  const entries = Object.entries(index);
  if (entries.length === 0) throw new FormatError('expected a non-empty object {label: id}', { file });
  const labels: string[] = new Array(entries.length);
  for (const [label, id] of entries) {
    if (!Number.isInteger(id) || (id as number) < 0 || (id as number) >= entries.length)
      throw new FormatError(`id ${JSON.stringify(id)} is not an integer in 0..${entries.length - 1}`, {
        file,
        field: label,
      });
    const other = labels[id as number];
    if (other !== undefined)
      throw new FormatError(`id ${id} is given to both ${JSON.stringify(other)} and ${JSON.stringify(label)}`, {
        file,
        field: label,
      });
    labels[id as number] = label;
  }
  return labels;
}
