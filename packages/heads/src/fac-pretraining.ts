import { linear, linearDef, type LinearParams, type Ops, record } from '@kadapter/nn';
import { z } from 'zod';
import { classify } from './classifier.js';
import { defineHead } from './kind.js';
import { argmaxRows, checkClasses, crossEntropy } from './losses.js';
import { dropout, hiddenSize, labels } from './schema-parts.js';
import { checkPositions, pairRows } from './select.js';

const schema = z.object({ kind: z.literal('fac-pretraining'), hiddenSize, labels, dropout });

/** fac-adapter pre-training (T-REx relation classification, kadapter-spec.md §4.1). */
export type FacPretrainingConfig = z.infer<typeof schema>;

/** `com_dense(cat[h_last, adapter])`, the pre-training heads' own fusion. */
export function combine<T>(o: Ops<T>, last: T, adapter: T, comDense: LinearParams<T>): T {
  return linear(o, o.concat([last, adapter], -1), comDense);
}

/**
 * The fac-adapter pre-training head (official fac-adapter.py AdapterModel, kadapter-spec.md §4.1):
 * com = com_dense(cat[h_last, adapter_out]); logits = out_proj(dropout(dense(cat[com[subj], com[obj]]))).
 * Features: the adapter output; selectors `last` (the backbone's last layer, [B, L, H]), `subj`,
 * `obj` (int32 [B]); label `labels`: relation ids int32 [B].
 */
export const facPretraining = defineHead({
  kind: 'fac-pretraining',
  description: 'fac-adapter pre-training (fac-adapter.py): com_dense(cat[last, adapter]) -> relation classifier',
  schema,
  selectors: ['last', 'subj', 'obj'],
  labels: ['labels'],
  classes: (c: FacPretrainingConfig) => c.labels,
  params: (c: FacPretrainingConfig) => {
    const h = c.hiddenSize;
    return record({
      com_dense: linearDef(2 * h, h),
      dense: linearDef(2 * h, h),
      out_proj: linearDef(h, c.labels.length),
    });
  },
  forward: (o, p, c, adapterOutput, s, options) => {
    const com = combine(o, s.last, adapterOutput, p.com_dense);
    return { logits: classify(o, pairRows(o, com, s.subj, s.obj), p, c.dropout, options) };
  },
  loss: (o, logits, l) => crossEntropy(o, logits, l.labels),
  checkSelectors: (_c, s, shape) => {
    checkPositions(s.subj, shape, 'subj');
    checkPositions(s.obj, shape, 'obj');
  },
  checkLabels: (c, l) => checkClasses(l.labels, c.labels.length),
  predict: (c, logits) => argmaxRows(logits).map((i) => c.labels[i] as string),
});
