import * as tf from '@tensorflow/tfjs';
import { customGrad } from './custom-grad.js';

/*
 * Embedding lookup whose gradient is a ScatterNd (which sums duplicate ids) instead of tfjs'
 * UnsortedSegmentSum, a kernel the wasm backend does not have (runtime-notes.md §4).
 */
const gatherRows = customGrad((table: tf.Tensor, ids: tf.Tensor, save: tf.GradSaveFunc) => {
  save([ids]);
  const shape = table.shape;
  return {
    value: tf.gather(table, ids as tf.Tensor1D),
    gradFunc: (dy, saved) => {
      const [idsSaved] = saved as [tf.Tensor1D];
      return [tf.scatterND(tf.expandDims(idsSaved, 1), dy, shape), tf.zerosLike(idsSaved)];
    },
  };
});

/** Looks up rows of `table` [V, D] for integer `ids` of any shape: result [...ids.shape, D]. */
export function embedding(table: tf.Tensor2D, ids: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const flat = tf.reshape(ids.dtype === 'int32' ? ids : tf.cast(ids, 'int32'), [-1]);
    const rows = gatherRows(table, flat);
    return tf.reshape(rows, [...ids.shape, table.shape[1]]);
  });
}
