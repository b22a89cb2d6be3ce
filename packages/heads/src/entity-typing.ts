import { ParamModule, type ParamSet } from '@kadapter/nn';
import type { ForwardOptions, Head } from '@kadapter/nn';
import * as tf from '@tensorflow/tfjs';
import { type ClassifierParams, classifierDef, classify } from './classifier.js';
import type { EntityTypingConfig } from './config.js';
import { bceWithLogits } from './losses.js';
import { rowsAt } from './select.js';

/** Where the entity-typing head reads: the first marker of each example, int32 [B]. */
export interface MarkerSelectors {
  marker: tf.Tensor1D;
}

/**
 * Entity typing (official ETModel / FIGERModel head): logits = out_proj(dropout(dense(feat[b, marker]))),
 * BCE-with-logits over multi-hot labels, type i predicted iff logit_i > 0 (OpenEntity's rule).
 */
export class EntityTypingHead
  extends ParamModule<ClassifierParams>
  implements Head<MarkerSelectors, tf.Tensor2D, string[][]>
{
  readonly kind = 'entity-typing';
  constructor(
    readonly config: EntityTypingConfig,
    set: ParamSet<ClassifierParams>,
  ) {
    super(set);
  }

  static def(c: EntityTypingConfig) {
    return classifierDef(c.hiddenSize, c.hiddenSize, c.labels.length);
  }

  get labels(): readonly string[] {
    return this.config.labels;
  }

  apply(features: tf.Tensor3D, selectors: MarkerSelectors, options: ForwardOptions = {}): tf.Tensor2D {
    return tf.tidy(() =>
      classify(rowsAt(features, selectors.marker), this.p, this.config.dropout, options.training ?? false),
    );
  }

  /** BCEWithLogitsLoss (mean over B × C); labels are multi-hot float [B, C]. */
  loss(logits: tf.Tensor, labels: tf.Tensor2D): tf.Scalar {
    return bceWithLogits(logits, labels);
  }

  /** The labels whose logit is > 0, per example (possibly none). */
  predict(logits: tf.Tensor): string[][] {
    const rows = logits.arraySync() as number[][];
    return rows.map((r) => this.config.labels.filter((_, i) => (r[i] as number) > 0));
  }
}
