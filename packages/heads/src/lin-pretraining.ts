import {
  additiveMask,
  attentionDef,
  dropout as dropoutBlock,
  linear,
  linearDef,
  record,
  selfAttention,
} from '@kadapter/nn';
import { z } from 'zod';
import { combine } from './fac-pretraining.js';
import { defineHead } from './kind.js';
import { argmaxRows, checkClasses, maskedCrossEntropy } from './losses.js';
import { dropout, hiddenSize, layerNormEps, positiveInt } from './schema-parts.js';

const schema = z.object({
  kind: z.literal('lin-pretraining'),
  hiddenSize,
  numClasses: positiveInt('numClasses'),
  dropout,
  layerNormEps,
});

/** lin-adapter pre-training (dependency head prediction, kadapter-spec.md §4.2). */
export type LinPretrainingConfig = z.infer<typeof schema>;

/**
 * The lin-adapter pre-training head (official lin-adapter.py AdapterModel, kadapter-spec.md §4.2):
 * com = com_dense(cat[h_last, adapter_out]); ctx = BertAttention with 1 head over com, with the
 * real padding mask (unlike the adapters); logits = out_proj(dropout(dense(ctx))), [B, L, numClasses].
 * Selectors `last` ([B, L, H]) and `mask` ([B, L], 1 = token); labels `labels` (head position per
 * token, int32 [B, L]; negative = ignore) and `mask` (which positions count). Extra output:
 * `attentionProbs` [B, 1, L, L].
 */
export const linPretraining = defineHead({
  kind: 'lin-pretraining',
  description: 'lin-adapter pre-training (lin-adapter.py): com_dense -> 1-head attention -> head position per token',
  schema,
  selectors: ['last', 'mask'],
  labels: ['labels', 'mask'],
  params: (c: LinPretrainingConfig) => {
    const h = c.hiddenSize;
    return record({
      com_dense: linearDef(2 * h, h),
      dense: linearDef(h, h),
      out_proj: linearDef(h, c.numClasses),
      self_attention: attentionDef(h),
    });
  },
  forward: (o, p, c, adapterOutput, s, options) => {
    const com = combine(o, s.last, adapterOutput, p.com_dense);
    const att = selfAttention(o, com, p.self_attention, {
      ...options,
      heads: 1,
      layerNormEps: c.layerNormEps,
      dropout: c.dropout,
      mask: additiveMask(o, s.mask),
    });
    const logits = linear(o, dropoutBlock(o, linear(o, att.output, p.dense), c.dropout, options), p.out_proj);
    return { logits, attentionProbs: att.probs };
  },
  loss: (o, logits, l) => maskedCrossEntropy(o, logits, l.labels, l.mask),
  checkLabels: (c, l) =>
    checkClasses(l.labels, c.numClasses, (i) => (l.mask.data[i] as number) !== 0 && (l.labels.data[i] as number) >= 0),
  predict: (_c, logits): number[][] => {
    const [b, len] = logits.shape as [number, number];
    const flat = argmaxRows(logits);
    return Array.from({ length: b }, (_, r) => flat.slice(r * len, (r + 1) * len));
  },
});
