import { ConfigError } from '@kadapter/core';
import { figerLabelsFromTrain } from '../labels/figer-labels.js';
import { entityEncoder } from './entity-typing.js';

/**
 * FIGER entity typing (examples/utils_figer.py): the OpenEntity input, but an input of L tokens or
 * more is dropped (`too_long`), in test data too, before its labels are looked at. Labels come
 * from `labels` (the data dir's labels.json); without them they are derived from the input itself
 * in first-appearance order, which is the official list when the input is train.json (encode
 * test.json with the train list!). A label missing from the list is a DataError (KeyError).
 */
export const figerEncoder = entityEncoder({
  name: 'figer',
  description: 'FIGER fine-grained entity typing (multi-label)',
  labels(ctx) {
    const labels = ctx.options.labels;
    if (!labels)
      throw new ConfigError('FIGER needs a label list (labels.json, or derived from train.json)', { field: 'labels' });
    return labels;
  },
  async prepare(records, ctx) {
    if (ctx.options.labels) return ctx.options;
    return { ...ctx.options, labels: await figerLabelsFromTrain(records()) };
  },
  checkLength: (length, ctx) => (length >= ctx.maxLen ? { skip: 'too_long' } : undefined),
});
