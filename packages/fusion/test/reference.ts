import * as tf from '@tensorflow/tfjs';

/**
 * Plain-array reference maths for tests (independent of the tfjs code under test): rows are
 * vectors, weights are in PyTorch layout [out, in].
 */
export type Mat = number[][];

export function toRows(t: tf.Tensor): Mat {
  const last = t.shape[t.shape.length - 1] as number;
  return tf.tidy(() => tf.reshape(t, [-1, last]).arraySync() as Mat);
}

export function refLinear(x: Mat, w: tf.Tensor, b: tf.Tensor): Mat {
  const W = w.arraySync() as Mat;
  const B = b.arraySync() as number[];
  return x.map((row) => W.map((wr, o) => wr.reduce((s, wv, i) => s + wv * (row[i] as number), B[o] as number)));
}

export function refCat(...parts: Mat[]): Mat {
  return (parts[0] as Mat).map((_, r) => parts.flatMap((p) => p[r] as number[]));
}

export function refAdd(...parts: Mat[]): Mat {
  return (parts[0] as Mat).map((row, r) =>
    row.map((_, c) => parts.reduce((s, p) => s + ((p[r] as number[])[c] as number), 0)),
  );
}

export function refScale(x: Mat, s: number): Mat {
  return x.map((row) => row.map((v) => v * s));
}
