import { embedding } from '@kadapter/core/nn';
import * as tf from '@tensorflow/tfjs';

/**
 * Row `index[b]` of `features[b]` for each b: [B, L, H] -> [B, H]. The same as the official
 * one-hot `bmm` selectors, as a gather whose gradient is a scatter (runs on wasm).
 */
export function rowsAt(features: tf.Tensor3D, index: tf.Tensor1D): tf.Tensor2D {
  return tf.tidy(() => {
    const [b, l, h] = features.shape;
    const flat = tf.add(tf.mul(tf.range(0, b, 1, 'int32'), l), tf.cast(index, 'int32'));
    return embedding(tf.reshape(features, [b * l, h]) as tf.Tensor2D, flat) as tf.Tensor2D;
  });
}
