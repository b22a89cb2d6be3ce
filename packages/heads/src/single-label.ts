import { ParamModule, type ParamSet } from '@kadapter/nn';
import type * as tf from '@tensorflow/tfjs';
import { argmaxRows } from './classifier.js';
import { crossEntropy } from './losses.js';

/** What single-label classifier heads share: their labels, cross entropy, argmax prediction. */
export abstract class SingleLabelHead<C extends { labels: string[] }, P> extends ParamModule<P> {
  constructor(
    readonly config: C,
    set: ParamSet<P>,
  ) {
    super(set);
  }

  get labels(): readonly string[] {
    return this.config.labels;
  }

  /** CrossEntropyLoss (mean over the batch); labels are class indices, int32 [B]. */
  loss(logits: tf.Tensor, labels: tf.Tensor1D): tf.Scalar {
    return crossEntropy(logits as tf.Tensor2D, labels);
  }

  /** The label of the largest logit of each row. */
  predict(logits: tf.Tensor): string[] {
    return argmaxRows(logits).map((i) => this.config.labels[i] as string);
  }
}
