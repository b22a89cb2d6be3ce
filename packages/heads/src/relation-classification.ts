import type { ForwardOptions, Head } from '@kadapter/core';
import { ParamModule, type ParamSet } from '@kadapter/fusion';
import * as tf from '@tensorflow/tfjs';
import { argmaxRows, type ClassifierParams, classifierDef, classify, pairRows } from './classifier.js';
import type { RelationClassificationConfig } from './config.js';
import { crossEntropy } from './losses.js';

/** Subject and object marker positions, int32 [B] each. */
export interface PairSelectors {
  subj: tf.Tensor1D;
  obj: tf.Tensor1D;
}

/**
 * Relation classification (official TACREDModel head):
 * logits = out_proj(dropout(dense(cat[feat[b, subj], feat[b, obj]]))), cross entropy, argmax.
 */
export class RelationClassificationHead
  extends ParamModule<ClassifierParams>
  implements Head<PairSelectors, tf.Tensor1D, string[]>
{
  readonly kind = 'relation-classification';
  constructor(
    readonly config: RelationClassificationConfig,
    set: ParamSet<ClassifierParams>,
  ) {
    super(set);
  }

  static def(c: RelationClassificationConfig) {
    return classifierDef(2 * c.hiddenSize, c.hiddenSize, c.labels.length);
  }

  get labels(): readonly string[] {
    return this.config.labels;
  }

  apply(features: tf.Tensor3D, selectors: PairSelectors, options: ForwardOptions = {}): tf.Tensor2D {
    return tf.tidy(() =>
      classify(
        pairRows(features, selectors.subj, selectors.obj),
        this.p,
        this.config.dropout,
        options.training ?? false,
      ),
    );
  }

  /** CrossEntropyLoss (mean over the batch); labels are class indices, int32 [B]. */
  loss(logits: tf.Tensor, labels: tf.Tensor1D): tf.Scalar {
    return crossEntropy(logits as tf.Tensor2D, labels);
  }

  predict(logits: tf.Tensor): string[] {
    return argmaxRows(logits).map((i) => this.config.labels[i] as string);
  }
}
