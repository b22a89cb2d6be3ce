import { DataError } from '@kadapter/core';
import type { InputRecord } from '@kadapter/core';

/**
 * FIGER's label list when the data dir has no `labels.json`: the distinct labels of the training
 * examples in order of first appearance, as run_finetune_figer_adapter.py builds it (lines 920-945).
 */
export async function figerLabelsFromTrain(records: AsyncIterable<InputRecord>): Promise<string[]> {
  const seen = new Set<string>();
  for await (const record of records) {
    const labels = (record.value as { labels?: unknown } | null)?.labels;
    if (!Array.isArray(labels)) {
      throw new DataError(`example ${record.index}: expected an array of labels`, { ...record.where, field: 'labels' });
    }
    for (const label of labels) {
      if (typeof label !== 'string') {
        throw new DataError(`example ${record.index}: label ${JSON.stringify(label)} is not a string`, {
          ...record.where,
          field: 'labels',
        });
      }
      seen.add(label);
    }
  }
  return [...seen];
}
