import * as tf from '@tensorflow/tfjs';

/** Exact GELU, x·0.5·(1 + erf(x/√2)), as BERT's "gelu". */
export function gelu<T extends tf.Tensor>(x: T): T {
  return tf.tidy(() => tf.mul(tf.mul(x, 0.5), tf.add(1, tf.erf(tf.mul(x, Math.SQRT1_2)))) as T);
}

/** Dropout that is the identity outside training or when the rate is 0. */
export function dropout<T extends tf.Tensor>(x: T, rate: number, training: boolean): T {
  return training && rate > 0 ? (tf.dropout(x, rate) as T) : x;
}

/** Additive attention mask [B, 1, 1, L] from a 0/1 mask [B, L]: (1 - mask) · -10000, as BERT. */
export function additiveMask(mask: tf.Tensor2D): tf.Tensor4D {
  return tf.tidy(() => {
    const [b, l] = mask.shape;
    return tf.reshape(tf.mul(tf.sub(1, tf.cast(mask, 'float32')), -10000), [b, 1, 1, l]) as tf.Tensor4D;
  });
}
