import type { ForwardOptions, Head } from '@kadapter/nn';
import { linear, type LinearParams, linearsDef, ParamModule, type ParamSet } from '@kadapter/nn';
import * as tf from '@tensorflow/tfjs';
import type { SpanExtractionConfig } from './config.js';
import { crossEntropy } from './losses.js';

type QaParams = Record<'qa_outputs', LinearParams>;

/** Optional padding mask [B, L] (1 = real token): padded positions get −10000 added to their logits. */
export interface SpanSelectors {
  mask?: tf.Tensor2D;
}

/** Gold answer boundaries (token positions, inclusive), int32 [B] each. */
export interface SpanLabels {
  start: tf.Tensor1D;
  end: tf.Tensor1D;
}

export interface Span {
  start: number;
  end: number;
  /** start logit + end logit */
  score: number;
}

/**
 * Span-extraction QA (SearchQA / Quasar-T; the official code has none, kadapter-spec.md §5.5):
 * `qa_outputs` Linear(H→2) per token gives start and end logits, [B, L, 2]. Loss: mean of the
 * start and end cross entropies. `predict` returns the best span with start ≤ end and at most
 * `maxAnswerLength` tokens.
 */
export class SpanExtractionHead extends ParamModule<QaParams> implements Head<SpanSelectors, SpanLabels, Span[]> {
  readonly kind = 'span-extraction';
  constructor(
    readonly config: SpanExtractionConfig,
    set: ParamSet<QaParams>,
  ) {
    super(set);
  }

  static def(c: SpanExtractionConfig) {
    return linearsDef({ qa_outputs: [c.hiddenSize, 2] });
  }

  apply(features: tf.Tensor3D, selectors: SpanSelectors = {}, _options: ForwardOptions = {}): tf.Tensor3D {
    return tf.tidy(() => {
      const logits = linear(features, this.p.qa_outputs);
      if (!selectors.mask) return logits;
      const pad = tf.mul(tf.sub(1, tf.cast(selectors.mask, 'float32')), -10000);
      return tf.add(logits, tf.expandDims(pad, -1)) as tf.Tensor3D;
    });
  }

  loss(logits: tf.Tensor, labels: SpanLabels): tf.Scalar {
    return tf.tidy(() => {
      const [startLogits, endLogits] = tf.unstack(logits, 2) as [tf.Tensor2D, tf.Tensor2D];
      return tf.div(
        tf.add(crossEntropy(startLogits, labels.start), crossEntropy(endLogits, labels.end)),
        2,
      ) as tf.Scalar;
    });
  }

  predict(logits: tf.Tensor): Span[] {
    const rows = logits.arraySync() as number[][][];
    return rows.map((tokens) => {
      let best: Span = { start: 0, end: 0, score: Number.NEGATIVE_INFINITY };
      tokens.forEach((s, i) => {
        for (let j = i; j < Math.min(tokens.length, i + this.config.maxAnswerLength); j++) {
          const score = (s[0] as number) + ((tokens[j] as number[])[1] as number);
          if (score > best.score) best = { start: i, end: j, score };
        }
      });
      return best;
    });
  }
}
