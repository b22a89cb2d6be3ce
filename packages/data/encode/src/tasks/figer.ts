import { ConfigError } from '@kadapter/core';
import { labelIndex } from '../fields.js';
import { figerLabelsFromTrain } from '../labels/figer-labels.js';
import type { EncodeContext, TaskEncoder } from '../types.js';
import {
  type EntityExample,
  entityFeatures,
  entitySegments,
  entityShapes,
  markEntity,
  parseEntity,
} from './entity-typing.js';

function labelsOf(ctx: EncodeContext): readonly string[] {
  const labels = ctx.options.labels;
  if (!labels)
    throw new ConfigError('FIGER needs a label list (labels.json, or derived from train.json)', { field: 'labels' });
  return labels;
}

/**
 * FIGER entity typing (examples/utils_figer.py): the OpenEntity input, but an input of L tokens or
 * more is dropped (`too_long`), in test data too, before its labels are looked at. Labels come
 * from `labels` (the data dir's labels.json); without them they are derived from the input itself
 * in first-appearance order, which is the official list when the input is train.json (encode
 * test.json with the train list!). A label missing from the list is a DataError (KeyError).
 */
export const figerEncoder: TaskEncoder<EntityExample> = {
  name: 'figer',
  description: 'FIGER fine-grained entity typing (multi-label)',
  featureShapes: (ctx) => entityShapes(ctx, labelsOf(ctx).length),
  labelNames: labelsOf,
  async prepare(records, ctx) {
    if (ctx.options.labels) return ctx.options;
    return { ...ctx.options, labels: await figerLabelsFromTrain(records()) };
  },
  parse: parseEntity,
  segments: entitySegments,
  build(ex, tokens, ctx, record) {
    const marked = markEntity(tokens, ctx);
    if (marked.tokens.length >= ctx.maxLen) return { skip: 'too_long' };
    const labels = labelsOf(ctx);
    const ids = ex.labels.map((l) => labelIndex(record, labels, l, 'labels'));
    return { features: entityFeatures(ctx, marked.tokens, marked.marker, ids, labels.length) };
  },
};
