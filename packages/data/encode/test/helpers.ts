import type { InputRecord } from '@kadapter/core';

/** In-memory records, as a reader would yield them. */
export function records(values: unknown[], file = 'memory.json'): InputRecord[] {
  return values.map((value, index) => ({ value, index, where: { file, offset: index } }));
}
