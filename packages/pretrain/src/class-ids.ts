import { DataError, type InputSource } from '@kadapter/core';
import type { HeadModule } from '@kadapter/heads';
import type { EncodedData } from './data.js';

/**
 * Refuses examples whose class id is not one of the head's classes (e.g. data labelled with 410
 * relations for a head with 10, from `--init`), naming the file and record, before any training.
 * Applies to heads with named classes and a `labels` input read from a feature.
 */
export function checkClassIds(
  head: HeadModule,
  labels: Readonly<Record<string, InputSource>>,
  ...sets: Array<EncodedData | undefined>
): void {
  const classes = head.labels;
  const source = labels.labels;
  if (!classes || !source || !('feature' in source)) return;
  for (const set of sets) {
    const column = set?.columns.get(source.feature);
    if (!set || !column) continue;
    const perExample = column.data.length / (column.shape[0] as number);
    for (let i = 0; i < column.data.length; i++) {
      const v = column.data[i] as number;
      if (v < 0 || v >= classes.length) {
        const where = set.origin[Math.floor(i / perExample)];
        throw new DataError(
          `label id ${v} is not one of the head's ${classes.length} classes (record ${where?.record}); the head was made for [${classes.slice(0, 5).join(', ')}${classes.length > 5 ? ', ...' : ''}]`,
          { file: where?.file, field: source.feature },
        );
      }
    }
  }
}
