import { OFFICIAL_TREX_RELATIONS } from '@kadapter/data-trex';
import { relationEncoder } from './relation.js';

/**
 * T-REx relation classification, the fac-adapter's pre-training task (utils_glue.py
 * `convert_examples_to_features_trex`): raw `@` around the subject, `#` around the object; an
 * example whose subject or object marker lands at index >= L after `<s>` is dropped
 * (`marker_beyond_max_len`). Labels index the official 410-relation list unless `labels` is given.
 */
export const trexEncoder = relationEncoder(
  'trex',
  'T-REx relation classification (fac-adapter pre-training)',
  OFFICIAL_TREX_RELATIONS,
  (m, ctx) => (m.subj >= ctx.maxLen || m.obj >= ctx.maxLen ? { skip: 'marker_beyond_max_len' } : m),
);
