import { InputError, ShapeError } from '@kadapter/core';
import { embedding } from '@kadapter/nn';
import * as tf from '@tensorflow/tfjs';

/**
 * Row `index[b]` of `features[b]` for each b: [B, L, H] -> [B, H]. The same as the official
 * one-hot `bmm` selectors, as a gather whose gradient is a scatter (runs on wasm). An index
 * outside [0, L) is an InputError naming the example (as a flat gather it would silently read a
 * neighbouring example's row); an index of another length than B is a ShapeError.
 */
export function rowsAt(features: tf.Tensor3D, index: tf.Tensor1D): tf.Tensor2D {
  const [b, l, h] = features.shape;
  if (index.rank !== 1 || index.shape[0] !== b) {
    throw new ShapeError(`selector has ${index.shape.join('x')} positions for a batch of ${b}`, { field: 'selectors' });
  }
  const positions = index.dataSync();
  for (let i = 0; i < b; i++) {
    const p = positions[i] as number;
    if (!(Number.isInteger(p) && p >= 0 && p < l)) {
      throw new InputError(`selector position [${i}] = ${p} is outside [0, ${l})`, { field: 'selectors' });
    }
  }
  return tf.tidy(() => {
    const flat = tf.add(tf.mul(tf.range(0, b, 1, 'int32'), l), tf.cast(index, 'int32'));
    return embedding(tf.reshape(features, [b * l, h]) as tf.Tensor2D, flat) as tf.Tensor2D;
  });
}
