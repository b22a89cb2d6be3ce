import { labelIndex } from '../fields.js';
import { TREX_RELATIONS } from '../labels/trex-relations.js';
import type { TaskEncoder } from '../types.js';
import {
  markRelation,
  negativeSampler,
  parseRelation,
  type RelationExample,
  relationFeatures,
  relationSegments,
  relationShapes,
} from './relation.js';

/**
 * T-REx relation classification, the fac-adapter's pre-training task (utils_glue.py
 * `convert_examples_to_features_trex`): raw `@` around the subject, `#` around the object; an
 * example whose subject or object marker lands at index >= L after `<s>` is dropped
 * (`marker_beyond_max_len`). Labels index the official 410-relation list unless `labels` is given;
 * an unknown relation is a DataError (the official code raises KeyError).
 */
export const trexEncoder: TaskEncoder<RelationExample> = {
  name: 'trex',
  description: 'T-REx relation classification (fac-adapter pre-training)',
  featureShapes: relationShapes,
  labelNames: (ctx) => ctx.options.labels ?? TREX_RELATIONS,
  parse: parseRelation,
  select: negativeSampler,
  segments: relationSegments,
  build(ex, tokens, ctx, record) {
    const label = labelIndex(record, ctx.options.labels ?? TREX_RELATIONS, ex.relation, 'relation');
    const marked = markRelation(ex, tokens, ctx);
    if (marked.subj >= ctx.maxLen || marked.obj >= ctx.maxLen) return { skip: 'marker_beyond_max_len' };
    return { features: relationFeatures(ctx, marked.tokens, marked.subj, marked.obj, label) };
  },
};
