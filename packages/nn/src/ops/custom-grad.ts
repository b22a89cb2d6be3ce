import * as tf from '@tensorflow/tfjs';

/** What the wrapped function of `customGrad` returns: the value and its gradient function. */
export interface GradResult {
  value: tf.Tensor;
  gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.Tensor[];
}

/**
 * `tf.customGrad` with typed parameters: tfjs types the wrapped function as taking
 * `(Tensor | GradSaveFunc)[]`, which no real function signature satisfies.
 */
export function customGrad<A extends tf.Tensor[]>(
  f: (...args: [...A, tf.GradSaveFunc]) => GradResult,
): (...args: A) => tf.Tensor {
  return tf.customGrad(f as never) as unknown as (...args: A) => tf.Tensor;
}
