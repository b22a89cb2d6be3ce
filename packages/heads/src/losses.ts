import * as tf from '@tensorflow/tfjs';

/** Per-row cross entropy of logits [..., C] against integer classes [...] (a class < 0 gives 0). */
function rowCrossEntropy(logits: tf.Tensor, classes: tf.Tensor): tf.Tensor {
  const c = logits.shape[logits.shape.length - 1] as number;
  const onehot = tf.oneHot(tf.cast(classes, 'int32'), c);
  return tf.neg(tf.sum(tf.mul(onehot, tf.logSoftmax(logits)), -1));
}

/** torch.nn.CrossEntropyLoss (mean over rows): logits [N, C], classes int [N]. */
export function crossEntropy(logits: tf.Tensor2D, classes: tf.Tensor1D): tf.Scalar {
  return tf.tidy(() => tf.mean(rowCrossEntropy(logits, classes)) as tf.Scalar);
}

/**
 * Cross entropy averaged over the positions where `weight` is 1: logits [B, L, C], classes and
 * weight [B, L]. Positions with a negative class are dropped too (ignore index).
 */
export function maskedCrossEntropy(logits: tf.Tensor3D, classes: tf.Tensor2D, weight: tf.Tensor2D): tf.Scalar {
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
