import type { ForwardOptions, Head } from '@kadapter/nn';
import {
  additiveMask,
  type AttentionParams,
  attentionSpec,
  dropout,
  linear,
  type LinearParams,
  linearsDef,
  type ParamDef,
  ParamModule,
  type ParamSet,
  selfAttention,
  torchDefaultAttention,
} from '@kadapter/nn';
import * as tf from '@tensorflow/tfjs';
import type { LinPretrainingConfig } from './config.js';
import { combine, type WithLast } from './fac-pretraining.js';
import { maskedCrossEntropy } from './losses.js';

type LinParams = Record<'com_dense' | 'dense' | 'out_proj', LinearParams> & { self_attention: AttentionParams };

/** The real padding mask [B, L] (1 = token): the head's attention uses it, unlike the adapters. */
export interface MaskSelectors extends WithLast {
  mask: tf.Tensor2D;
}

/**
 * Per-token head positions, int32 [B, L], and which positions count, [B, L]. The loss averages
 * over positions with mask 1 and a label ≥ 0 (the official labels are never negative; −100 marks
 * positions to ignore in the fixed, first-sub-token-aligned variant).
 */
export interface LinLabels {
  labels: tf.Tensor2D;
  mask: tf.Tensor2D;
}

/**
 * The lin-adapter pre-training head (official lin-adapter.py AdapterModel, kadapter-spec.md §4.2):
 * com = com_dense(cat[h_last, adapter_out]); ctx = BertAttention_1head(com, padding mask);
 * logits = out_proj(dropout(dense(ctx))), [B, L, numClasses].
 */
export class LinPretrainingHead extends ParamModule<LinParams> implements Head<MaskSelectors, LinLabels, number[][]> {
  readonly kind = 'lin-pretraining';
  constructor(
    readonly config: LinPretrainingConfig,
    set: ParamSet<LinParams>,
  ) {
    super(set);
  }

  static def(c: LinPretrainingConfig): ParamDef<LinParams> {
    const h = c.hiddenSize;
    const lin = linearsDef({ com_dense: [2 * h, h], dense: [h, h], out_proj: [h, c.numClasses] });
    return {
      spec: new Map([...lin.spec, ...attentionSpec('self_attention.', h)]),
      init: (next) => ({ ...lin.init(next), self_attention: torchDefaultAttention(h, next) }),
      read: (reader) => ({ ...lin.read(reader), self_attention: reader.attention('self_attention.') }),
      write: (writer, p) => {
        lin.write(writer, p);
        writer.attention('self_attention.', p.self_attention);
      },
    };
  }

  apply(adapterOutput: tf.Tensor3D, selectors: MaskSelectors, options: ForwardOptions = {}): tf.Tensor3D {
    const { logits, attentionProbs } = this.forward(adapterOutput, selectors, options);
    attentionProbs.dispose();
    return logits;
  }

  /** Logits and the attention probabilities of the 1-head self-attention, [B, 1, L, L]. */
  forward(
    adapterOutput: tf.Tensor3D,
    selectors: MaskSelectors,
    options: ForwardOptions = {},
  ): { logits: tf.Tensor3D; attentionProbs: tf.Tensor4D } {
    const training = options.training ?? false;
    const c = this.config;
    const r = tf.tidy(() => {
      const com = combine(selectors.last, adapterOutput, this.p.com_dense);
      const att = selfAttention(com, this.p.self_attention, {
        heads: 1,
        layerNormEps: c.layerNormEps,
        dropout: c.dropout,
        training,
        mask: additiveMask(selectors.mask),
        returnProbs: true,
      });
      const logits = linear(dropout(linear(att.output, this.p.dense), c.dropout, training), this.p.out_proj);
      return { logits, attentionProbs: att.probs as tf.Tensor4D };
    });
    return r;
  }

  loss(logits: tf.Tensor, labels: LinLabels): tf.Scalar {
    return maskedCrossEntropy(logits as tf.Tensor3D, labels.labels, labels.mask);
  }

  /** The predicted head position of every token, [B][L]. */
  predict(logits: tf.Tensor): number[][] {
    return tf.tidy(() => tf.argMax(logits, -1).arraySync() as number[][]);
  }
}
