import * as tf from '@tensorflow/tfjs';

export interface LayerNormParams {
  weight: tf.Tensor1D;
  bias: tf.Tensor1D;
}

/** LayerNorm over the last axis with biased variance, as torch.nn.LayerNorm. */
export function layerNorm<T extends tf.Tensor>(x: T, p: LayerNormParams, eps: number): T {
  return tf.tidy(() => {
    const { mean, variance } = tf.moments(x, -1, true);
    const normed = tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, eps)));
    return tf.add(tf.mul(normed, p.weight), p.bias) as T;
  });
}
