import { recordError } from '../fields.js';
import { OPENENTITY_TYPES } from '../labels/openentity-types.js';
import { entityEncoder } from './entity-typing.js';

/**
 * OpenEntity entity typing (examples/utils_glue.py `convert_examples_to_features_entity_typing`):
 * `Ġ@` markers around the mention, 9-type multi-hot labels. The official code never truncates and
 * fails its length assertion on an input longer than L; here such an example is a DataError naming
 * it (decision: an error, not a skip, so that dev/test sets are never silently shortened; raise
 * --max-len). An unknown type is a DataError (the official `list.index` raises).
 */
export const openEntityEncoder = entityEncoder({
  name: 'openentity',
  description: 'OpenEntity entity typing (9 types, multi-label)',
  labels: (ctx) => ctx.options.labels ?? OPENENTITY_TYPES,
  checkLength(length, ctx, record) {
    if (length <= ctx.maxLen) return undefined;
    throw recordError(
      record,
      `${length} tokens exceed --max-len ${ctx.maxLen}; the official code fails on such an input (no truncation)`,
      'sent',
    );
  },
});
