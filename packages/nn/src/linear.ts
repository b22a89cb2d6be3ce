import * as tf from '@tensorflow/tfjs';
import { customGrad } from './custom-grad.js';

/** Weights of a linear layer in tfjs layout: `weight` is [in, out] (PyTorch stores [out, in]). */
export interface LinearParams {
  weight: tf.Tensor2D;
  bias?: tf.Tensor1D;
}

/*
 * y = x·W + b with a hand-written gradient. tfjs' own MatMul gradient uses transposed matmuls,
 * which the wasm backend runs in a naive loop (~12x slower, runtime-notes.md §4); explicit
 * transposes followed by plain 2-D matmuls stay on XNNPACK.
 */
const linearWithBias = customGrad((x: tf.Tensor, w: tf.Tensor, b: tf.Tensor, save: tf.GradSaveFunc) => {
  save([x, w]);
  return {
    value: tf.add(tf.matMul(x as tf.Tensor2D, w as tf.Tensor2D), b as tf.Tensor),
    gradFunc: (dy, saved) => {
      const [xs, ws] = saved as [tf.Tensor2D, tf.Tensor2D];
      const g = dy as tf.Tensor2D;
      return [tf.matMul(g, tf.transpose(ws)), tf.matMul(tf.transpose(xs), g), tf.sum(g, 0)];
    },
  };
});

const linearNoBias = customGrad((x: tf.Tensor, w: tf.Tensor, save: tf.GradSaveFunc) => {
  save([x, w]);
  return {
    value: tf.matMul(x as tf.Tensor2D, w as tf.Tensor2D),
    gradFunc: (dy, saved) => {
      const [xs, ws] = saved as [tf.Tensor2D, tf.Tensor2D];
      const g = dy as tf.Tensor2D;
      return [tf.matMul(g, tf.transpose(ws)), tf.matMul(tf.transpose(xs), g)];
    },
  };
});

/** Applies a linear layer to the last axis of `x` ([..., in] -> [..., out]). */
export function linear<T extends tf.Tensor>(x: T, p: LinearParams): T {
  return tf.tidy(() => {
    const [inDim, outDim] = p.weight.shape;
    const lead = x.shape.slice(0, -1);
    const x2 = x.rank === 2 ? (x as unknown as tf.Tensor2D) : tf.reshape(x, [-1, inDim]);
    const y = p.bias ? linearWithBias(x2, p.weight, p.bias) : linearNoBias(x2, p.weight);
    return (x.rank === 2 ? y : tf.reshape(y, [...lead, outDim])) as T;
  });
}
