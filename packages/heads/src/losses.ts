import { InputError } from '@kadapter/core';
import * as tf from '@tensorflow/tfjs';

/**
 * Throws an InputError naming the first class outside [0, C) among the positions that count
 * (all of them, or those where `counts` is true). One-hot would silently turn it into a loss of 0.
 */
function checkClasses(values: ArrayLike<number>, c: number, counts?: (i: number) => boolean): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if ((counts === undefined || counts(i)) && !(v >= 0 && v < c)) {
      throw new InputError(`class [${i}] = ${v} is outside [0, ${c})`, { field: 'labels' });
    }
  }
}

/** Per-row cross entropy of logits [..., C] against integer classes [...] (a class < 0 gives 0). */
function rowCrossEntropy(logits: tf.Tensor, classes: tf.Tensor): tf.Tensor {
  const c = logits.shape[logits.shape.length - 1] as number;
  const onehot = tf.oneHot(tf.cast(classes, 'int32'), c);
  return tf.neg(tf.sum(tf.mul(onehot, tf.logSoftmax(logits)), -1));
}

/** torch.nn.CrossEntropyLoss (mean over rows): logits [N, C], classes int [N], each in [0, C) (else InputError). */
export function crossEntropy(logits: tf.Tensor2D, classes: tf.Tensor1D): tf.Scalar {
  checkClasses(classes.dataSync(), logits.shape[1]);
  return tf.tidy(() => tf.mean(rowCrossEntropy(logits, classes)) as tf.Scalar);
}

/**
 * Cross entropy averaged over the positions where `weight` is 1: logits [B, L, C], classes and
 * weight [B, L]. Positions with a negative class are dropped too (ignore index); a class ≥ C where
 * it counts is an InputError.
 */
export function maskedCrossEntropy(logits: tf.Tensor3D, classes: tf.Tensor2D, weight: tf.Tensor2D): tf.Scalar {
  const w = weight.dataSync();
  const values = classes.dataSync();
  checkClasses(values, logits.shape[2], (i) => w[i] !== 0 && (values[i] as number) >= 0);
  return tf.tidy(() => {
    const keep = tf.mul(tf.cast(weight, 'float32'), tf.cast(tf.greaterEqual(classes, 0), 'float32'));
    return tf.div(tf.sum(tf.mul(rowCrossEntropy(logits, classes), keep)), tf.sum(keep)) as tf.Scalar;
  });
}

/** torch.nn.BCEWithLogitsLoss (mean over all elements), in its numerically stable form. */
export function bceWithLogits(logits: tf.Tensor, targets: tf.Tensor): tf.Scalar {
  return tf.tidy(() => {
    const z = tf.cast(targets, 'float32');
    const per = tf.add(tf.sub(tf.relu(logits), tf.mul(logits, z)), tf.log1p(tf.exp(tf.neg(tf.abs(logits)))));
    return tf.mean(per) as tf.Scalar;
  });
}
