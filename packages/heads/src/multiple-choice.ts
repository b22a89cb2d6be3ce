import { ShapeError } from '@kadapter/core';
import { type ForwardOptions, type Head } from '@kadapter/nn';
import { dropout, linear, type LinearParams, linearsDef, ParamModule, type ParamSet } from '@kadapter/nn';
import * as tf from '@tensorflow/tfjs';
import { argmaxRows } from './classifier.js';
import type { MultipleChoiceConfig } from './config.js';
import { crossEntropy } from './losses.js';

type McParams = Record<'classifier', LinearParams>;

/**
 * Multiple choice (official COSMOSQAModel head): the features of B questions × C choices come as
 * [B·C, L, H] (choice-major within a question, as the official `view(-1, L)`); logits =
 * classifier(dropout(feat)[:, 0]) reshaped to [B, C]; cross entropy over the choices.
 */
export class MultipleChoiceHead extends ParamModule<McParams> implements Head<undefined, tf.Tensor1D, number[]> {
  readonly kind = 'multiple-choice';
  constructor(
    readonly config: MultipleChoiceConfig,
    set: ParamSet<McParams>,
  ) {
    super(set);
  }

  static def(c: MultipleChoiceConfig) {
    return linearsDef({ classifier: [c.hiddenSize, 1] });
  }

  apply(features: tf.Tensor3D, _selectors?: undefined, options: ForwardOptions = {}): tf.Tensor2D {
    const [n, , h] = features.shape;
    const c = this.config.numChoices;
    if (n % c !== 0) {
      throw new ShapeError(`${n} sequences are not a whole number of questions with ${c} choices each`, {
        field: 'numChoices',
      });
    }
    return tf.tidy(() => {
      const first = tf.reshape(tf.slice(features, [0, 0, 0], [n, 1, h]), [n, h]);
      const scores = linear(dropout(first, this.config.dropout, options.training ?? false), this.p.classifier);
      return tf.reshape(scores, [n / c, c]) as tf.Tensor2D;
    });
  }

  /** CrossEntropyLoss over the choices; labels are the right choice per question, int32 [B]. */
  loss(logits: tf.Tensor, labels: tf.Tensor1D): tf.Scalar {
    return crossEntropy(logits as tf.Tensor2D, labels);
  }

  /** The chosen answer index per question. */
  predict(logits: tf.Tensor): number[] {
    return argmaxRows(logits);
  }
}
