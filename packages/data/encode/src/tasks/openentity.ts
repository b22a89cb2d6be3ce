import { labelIndex, recordError } from '../fields.js';
import { OPENENTITY_TYPES } from '../labels/openentity-types.js';
import type { TaskEncoder } from '../types.js';
import {
  type EntityExample,
  entityFeatures,
  entitySegments,
  entityShapes,
  markEntity,
  parseEntity,
} from './entity-typing.js';

/**
 * OpenEntity entity typing (examples/utils_glue.py `convert_examples_to_features_entity_typing`):
 * `Ġ@` markers around the mention, 9-type multi-hot labels. The official code never truncates and
 * fails its length assertion on an input longer than L; here such an example is a DataError naming
 * it (decision: an error, not a skip, so that dev/test sets are never silently shortened; raise
 * --max-len). An unknown type is a DataError (the official `list.index` raises).
 */
export const openEntityEncoder: TaskEncoder<EntityExample & { labelIds: number[] }> = {
  name: 'openentity',
  description: 'OpenEntity entity typing (9 types, multi-label)',
  featureShapes: (ctx) => entityShapes(ctx, (ctx.options.labels ?? OPENENTITY_TYPES).length),
  labelNames: (ctx) => ctx.options.labels ?? OPENENTITY_TYPES,
  parse(record, ctx) {
    const ex = parseEntity(record);
    const labels = ctx.options.labels ?? OPENENTITY_TYPES;
    return { ...ex, labelIds: ex.labels.map((l) => labelIndex(record, labels, l, 'labels')) };
  },
  segments: entitySegments,
  build(ex, tokens, ctx, record) {
    const marked = markEntity(tokens, ctx);
    if (marked.tokens.length > ctx.maxLen) {
      throw recordError(
        record,
        `${marked.tokens.length} tokens exceed --max-len ${ctx.maxLen}; the official code fails on such an input (no truncation)`,
        'sent',
      );
    }
    const count = (ctx.options.labels ?? OPENENTITY_TYPES).length;
    return { features: entityFeatures(ctx, marked.tokens, marked.marker, ex.labelIds, count) };
  },
};
