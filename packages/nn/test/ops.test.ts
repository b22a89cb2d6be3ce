import * as tf from '@tensorflow/tfjs';
import { describeBackends, EXACT, expectClose, useBackend } from '@kadapter/test-utils';
import { expect, it } from 'vitest';
import { linear, tfOps } from '../src/index.js';

const embedding = (table: tf.Tensor, ids: tf.Tensor) => tfOps.gather(table, ids);

/** Deterministic pseudo-random values (no dependency on a backend's RNG). */
function values(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) % 2147483648;
    out[i] = (s / 2147483648) * 2 - 1;
  }
  return out;
}

/** Values and gradients with plain tfjs ops and autodiff on the cpu backend: the reference (plain numbers). */
async function referenceOnCpu<T extends tf.TensorContainer>(fn: () => T): Promise<T> {
  const before = tf.getBackend();
  await useBackend('cpu');
  try {
    return tf.tidy(fn);
  } finally {
    await useBackend(before);
  }
}

describeBackends('linear (custom gradient)', () => {
  const [n, din, dout] = [6, 5, 4];
  const data = { x: values(n * din, 1), w: values(din * dout, 2), b: values(dout, 3), t: values(n * dout, 4) };
  const lossOf = (lin: (x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D) => tf.Tensor) =>
    tf.tidy(() => {
      const x = tf.tensor2d(data.x, [n, din]);
      const w = tf.tensor2d(data.w, [din, dout]);
      const b = tf.tensor1d(data.b);
      const t = tf.tensor2d(data.t, [n, dout]);
      const f = (xa: tf.Tensor, wa: tf.Tensor, ba: tf.Tensor) =>
        tf.sum(tf.mul(tf.tanh(lin(xa as tf.Tensor2D, wa as tf.Tensor2D, ba as tf.Tensor1D)), t));
      const { value, grads } = tf.valueAndGrads(f)([x, w, b]);
      return { value: Array.from(value.dataSync()), grads: grads.map((g) => Array.from(g.dataSync())) };
    });

  it('matches matMul + add with autodiff on cpu, values and gradients', async () => {
    const ref = await referenceOnCpu(() => lossOf((x, w, b) => tf.add(tf.matMul(x, w), b)));
    const got = lossOf((x, w, b) => linear(tfOps, x, { weight: w, bias: b }));
    expectClose(got.value, ref.value, 'value', { atol: 1e-5 });
    for (const [i, g] of got.grads.entries()) expectClose(g, ref.grads[i] as number[], `grad ${i}`, { atol: 1e-5 });
  });

  it('handles rank-3 input and no bias', async () => {
    const x = tf.tensor3d(values(2 * 3 * din, 5), [2, 3, din]);
    const w = tf.tensor2d(data.w, [din, dout]);
    const y = linear(tfOps, x, { weight: w });
    expect(y.shape).toEqual([2, 3, dout]);
    const ref = await referenceOnCpu(() =>
      Array.from(
        tf
          .matMul(
            tf.reshape(tf.tensor3d(values(2 * 3 * din, 5), [2, 3, din]), [6, din]),
            tf.tensor2d(data.w, [din, dout]),
          )
          .dataSync(),
      ),
    );
    expectClose(y, ref, 'rank-3 no-bias', { atol: 1e-5 });
    const g = tf.grad((w0: tf.Tensor) => tf.sum(linear(tfOps, x, { weight: w0 as tf.Tensor2D })))(w);
    const gRef = await referenceOnCpu(() => {
      const x0 = tf.reshape(tf.tensor3d(values(2 * 3 * din, 5), [2, 3, din]), [6, din]);
      return Array.from(
        tf
          .grad((w0: tf.Tensor) => tf.sum(tf.matMul(x0, w0 as tf.Tensor2D)))(tf.tensor2d(data.w, [din, dout]))
          .dataSync(),
      );
    });
    expectClose(g, gRef, 'rank-3 weight grad', { atol: 1e-5 });
    tf.dispose([x, w, y, g]);
  });
});

describeBackends('embedding (scatter gradient)', (backend) => {
  const table = () => tf.tensor2d(values(10 * 3, 7), [10, 3]);
  const ids = () =>
    tf.tensor2d(
      [
        [1, 4, 4],
        [9, 0, 4],
      ],
      [2, 3],
      'int32',
    );
  const weights = () => tf.tensor3d(values(2 * 3 * 3, 8), [2, 3, 3]);

  it('looks up rows like tf.gather', async () => {
    const ref = await referenceOnCpu(() => Array.from(tf.gather(table(), ids()).dataSync()));
    tf.tidy(() => {
      const got = embedding(table(), ids());
      expect(got.shape).toEqual([2, 3, 3]);
      expectClose(got, ref, 'rows', EXACT);
    });
  });

  it('has the gradient of tf.gather, summing repeated ids', async () => {
    const ref = await referenceOnCpu(() =>
      Array.from(
        tf
          .grad((t: tf.Tensor) => tf.sum(tf.mul(tf.gather(t, ids()), weights())))(table())
          .dataSync(),
      ),
    );
    tf.tidy(() => {
      const got = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(embedding(t as tf.Tensor2D, ids()), weights())))(table());
      expectClose(got, ref, `embedding grad on ${backend}`, { atol: 1e-6 });
    });
  });
});

describeBackends('gather with a padding index (torch padding_idx)', () => {
  it('that row gets no gradient; the others sum as before', async () => {
    const table = tf.tensor2d(values(6 * 2, 9), [6, 2]);
    const ids = tf.tensor2d(
      [
        [0, 2, 2],
        [5, 0, 1],
      ],
      [2, 3],
      'int32',
    );
    const w = tf.tensor3d(values(2 * 3 * 2, 10), [2, 3, 2]);
    const grad = (pad?: number) =>
      tf.tidy(
        () =>
          tf
            .grad((t: tf.Tensor) => tf.sum(tf.mul(tfOps.gather(t, ids, pad), w)))(table)
            .arraySync() as number[][],
      );
    const all = grad();
    const padded = grad(0);
    expect(padded[0]).toEqual([0, 0]);
    for (const r of [1, 2, 3, 4, 5]) expect(padded[r]).toEqual(all[r]);
    expect(Math.abs((all[0] as number[])[0] as number)).toBeGreaterThan(0);
    expect(tf.tidy(() => tfOps.gather(table, ids, 0).arraySync())).toEqual(
      tf.tidy(() => tfOps.gather(table, ids).arraySync()),
    );
    tf.dispose([table, ids, w]);
  });
});
