import * as tf from '@tensorflow/tfjs';
import { customGrad } from './custom-grad.js';
import type { Operand, Ops } from './ops.js';

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

/*
 * Row lookup whose gradient is a ScatterNd (which sums duplicate ids) instead of tfjs'
 * UnsortedSegmentSum, a kernel the wasm backend does not have (runtime-notes.md §4). `keep` [N, 1]
 * is 1 where a row's gradient counts and 0 at the padding index (torch's `padding_idx`).
 */
const gatherRows = customGrad((table: tf.Tensor, ids: tf.Tensor, keep: tf.Tensor, save: tf.GradSaveFunc) => {
  save([ids, keep]);
  const shape = table.shape;
  return {
    value: tf.gather(table, ids as tf.Tensor1D),
    gradFunc: (dy, saved) => {
      const [idsSaved, keepSaved] = saved as [tf.Tensor1D, tf.Tensor2D];
      return [
        tf.scatterND(tf.expandDims(idsSaved, 1), tf.mul(dy, keepSaved), shape),
        tf.zerosLike(idsSaved),
        tf.zerosLike(keepSaved),
      ];
    },
  };
});

const axesOf = (axes: number | readonly number[] | undefined) =>
  axes === undefined ? undefined : typeof axes === 'number' ? axes : [...axes];

/**
 * The op vocabulary on tfjs, eager. Gradients come from tfjs autodiff, with the two custom
 * gradients above where the wasm backend needs them. Works on every tfjs backend. Each op leaves
 * only its result behind: the ops made of several tfjs ops run in `tf.tidy`.
 */
export const tfOps: Ops<tf.Tensor> = {
  engine: 'tfjs',
  shape: (x) => [...x.shape],

  add: (a: Operand<tf.Tensor>, b: Operand<tf.Tensor>) => tf.add(a, b),
  sub: (a: Operand<tf.Tensor>, b: Operand<tf.Tensor>) => tf.sub(a, b),
  mul: (a: Operand<tf.Tensor>, b: Operand<tf.Tensor>) => tf.mul(a, b),
  div: (a: Operand<tf.Tensor>, b: Operand<tf.Tensor>) => tf.div(a, b),
  neg: (x) => tf.neg(x),
  exp: (x) => tf.exp(x),
  log: (x) => tf.log(x),
  log1p: (x) => tf.log1p(x),
  sqrt: (x) => tf.sqrt(x),
  abs: (x) => tf.abs(x),
  erf: (x) => tf.erf(x),
  tanh: (x) => tf.tanh(x),
  relu: (x) => tf.relu(x),

  sum: (x, axes, keepDims = false) => tf.sum(x, axesOf(axes), keepDims),
  mean: (x, axes, keepDims = false) => tf.mean(x, axesOf(axes), keepDims),

  matmul: (a, b, transposeB = false) => tf.matMul(a, b, false, transposeB),
  linear: (x, weight, bias) =>
    tf.tidy(() => {
      const [inDim, outDim] = weight.shape as [number, number];
      const lead = x.shape.slice(0, -1);
      const x2 = x.rank === 2 ? x : tf.reshape(x, [-1, inDim]);
      const y = bias ? linearWithBias(x2, weight, bias) : linearNoBias(x2, weight);
      return x.rank === 2 ? y : tf.reshape(y, [...lead, outDim]);
    }),
  softmax: (x) => tf.softmax(x, -1),
  logSoftmax: (x) => tf.logSoftmax(x, -1),
  layerNorm: (x, weight, bias, eps) =>
    tf.tidy(() => {
      const { mean, variance } = tf.moments(x, -1, true);
      const normed = tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, eps)));
      return tf.add(tf.mul(normed, weight), bias);
    }),
  gather: (table, ids, paddingIdx) =>
    tf.tidy(() => {
      const flat = tf.reshape(ids.dtype === 'int32' ? ids : tf.cast(ids, 'int32'), [-1]);
      const keep =
        paddingIdx === undefined
          ? tf.ones([flat.shape[0] as number, 1])
          : tf.reshape(tf.cast(tf.notEqual(flat, paddingIdx), 'float32'), [-1, 1]);
      return tf.reshape(gatherRows(table, flat, keep), [...ids.shape, table.shape[1] as number]);
    }),
  // tfjs-wasm's OneHot writes int32 bits into a float32 output when asked for float32 (1 reads
  // as 1.4e-45): build it as int32 and cast.
  oneHot: (ids, depth) =>
    tf.tidy(() =>
      tf.reshape(tf.cast(tf.oneHot(tf.cast(tf.reshape(ids, [-1]), 'int32'), depth), 'float32'), [...ids.shape, depth]),
    ),
  dropout: (x, rate, seed) => tf.dropout(x, rate, undefined, seed),

  cast: (x, dtype) => (x.dtype === dtype ? x : tf.cast(x, dtype)),

  reshape: (x, shape) => tf.reshape(x, [...shape]),
  transpose: (x, perm) => tf.transpose(x, [...perm]),
  concat: (xs, axis) => tf.concat([...xs], axis),
  slice: (x, begin, size) => tf.slice(x, [...begin], [...size]),

  scope: <R>(fn: () => R): R => tf.tidy(fn as () => tf.TensorContainer) as R,
  dispose: (x) => x.dispose(),
};
