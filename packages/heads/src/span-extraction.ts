import { linear, linearDef, record } from '@kadapter/nn';
import { z } from 'zod';
import { defineHead } from './kind.js';
import { checkClasses, crossEntropy } from './losses.js';
import { hiddenSize, positiveInt } from './schema-parts.js';

const schema = z.object({
  kind: z.literal('span-extraction'),
  hiddenSize,
  maxAnswerLength: positiveInt('maxAnswerLength'),
});

/** SearchQA / Quasar-T: start/end logits per token (`qa_outputs` Linear(H→2)). */
export type SpanExtractionConfig = z.infer<typeof schema>;

/** An answer span (token positions, inclusive) and its score, start logit + end logit. */
export interface Span {
  start: number;
  end: number;
  score: number;
}

/**
 * Span-extraction QA (SearchQA / Quasar-T; the official code has none, kadapter-spec.md §5.5):
 * `qa_outputs` Linear(H→2) per token gives start and end logits, [B, L, 2]; padded positions
 * (selector `mask` [B, L], 1 = token) get −10000 added. Loss: mean of the start and end cross
 * entropies (labels `start`, `end`: int32 [B]). `predict` returns the best span with start ≤ end
 * and at most `maxAnswerLength` tokens.
 */
export const spanExtraction = defineHead({
  kind: 'span-extraction',
  description: 'span extraction QA: qa_outputs per token -> start and end logits',
  schema,
  selectors: ['mask'],
  labels: ['start', 'end'],
  params: (c: SpanExtractionConfig) => record({ qa_outputs: linearDef(c.hiddenSize, 2) }),
  forward: (o, p, _c, features, s) => {
    const logits = linear(o, features, p.qa_outputs);
    const pad = o.mul(o.sub(1, o.cast(s.mask, 'float32')), -10000);
    const [b, l] = o.shape(pad) as [number, number];
    return { logits: o.add(logits, o.reshape(pad, [b, l, 1])) };
  },
  loss: (o, logits, l) => {
    const [b, len] = o.shape(logits) as [number, number];
    const at = (k: number) => o.reshape(o.slice(logits, [0, 0, k], [b, len, 1]), [b, len]);
    return o.div(o.add(crossEntropy(o, at(0), l.start), crossEntropy(o, at(1), l.end)), 2);
  },
  checkLabels: (_c, l, shape) => {
    checkClasses(l.start, shape[1] as number);
    checkClasses(l.end, shape[1] as number);
  },
  predict: (c, logits): Span[] => {
    const [b, len] = logits.shape as [number, number];
    const at = (r: number, i: number, k: number) => logits.data[(r * len + i) * 2 + k] as number;
    return Array.from({ length: b }, (_, r) => {
      let best: Span = { start: 0, end: 0, score: Number.NEGATIVE_INFINITY };
      for (let i = 0; i < len; i++) {
        for (let j = i; j < Math.min(len, i + c.maxAnswerLength); j++) {
          const score = at(r, i, 0) + at(r, j, 1);
          if (score > best.score) best = { start: i, end: j, score };
        }
      }
      return best;
    });
  },
});
