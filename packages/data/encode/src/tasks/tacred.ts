import { labelIndex, recordError } from '../fields.js';
import { TACRED_RELATIONS } from '../labels/tacred-relations.js';
import type { EncodeContext, InputRecord, TaskEncoder } from '../types.js';
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
 * A marker past the sequence goes to L-10, as examples/utils_glue.py does for `marker > L`.
 * Decision for `marker == L`, where the official code fails (IndexError): clamp it the same way.
 * A negative L-10 (L < 10) indexes from the end as numpy would; below -L it is a DataError.
 */
function clampMarker(marker: number, ctx: EncodeContext, record: InputRecord): number {
  const L = ctx.maxLen;
  if (marker < L) return marker;
  const clamped = L - 10 < 0 ? 2 * L - 10 : L - 10;
  if (clamped < 0) throw recordError(record, `marker ${marker} is past L=${L} and L-10 is not a valid index`);
  return clamped;
}

/**
 * TACRED relation classification (examples/utils_glue.py `convert_examples_to_features_tacred`):
 * the T-REx scheme, but markers at or past L are clamped to L-10 instead of dropping the example
 * (note `marker_clamped`). 42 labels, `no_relation` = 28.
 */
export const tacredEncoder: TaskEncoder<RelationExample> = {
  name: 'tacred',
  description: 'TACRED relation classification (fine-tuning / benchmark)',
  featureShapes: relationShapes,
  labelNames: (ctx) => ctx.options.labels ?? TACRED_RELATIONS,
  parse: parseRelation,
  select: negativeSampler,
  segments: relationSegments,
  build(ex, tokens, ctx, record) {
    const label = labelIndex(record, ctx.options.labels ?? TACRED_RELATIONS, ex.relation, 'relation');
    const marked = markRelation(ex, tokens, ctx);
    const subj = clampMarker(marked.subj, ctx, record);
    const obj = clampMarker(marked.obj, ctx, record);
    const clamped = (subj !== marked.subj ? 1 : 0) + (obj !== marked.obj ? 1 : 0);
    return {
      features: relationFeatures(ctx, marked.tokens, subj, obj, label),
      notes: new Array<string>(clamped).fill('marker_clamped'),
    };
  },
};
