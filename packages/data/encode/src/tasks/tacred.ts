import { recordError } from '../fields.js';
import { TACRED_RELATIONS } from '../labels/tacred-relations.js';
import type { EncodeContext, InputRecord } from '@kadapter/core';
import { relationEncoder } from './relation.js';

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
 * (one note `marker_clamped` per moved marker). 42 labels, `no_relation` = 28.
 */
export const tacredEncoder = relationEncoder(
  'tacred',
  'TACRED relation classification (fine-tuning / benchmark)',
  TACRED_RELATIONS,
  (m, ctx, record) => {
    const subj = clampMarker(m.subj, ctx, record);
    const obj = clampMarker(m.obj, ctx, record);
    const notes = [subj !== m.subj, obj !== m.obj].filter(Boolean).map(() => 'marker_clamped');
    return { subj, obj, notes };
  },
);
