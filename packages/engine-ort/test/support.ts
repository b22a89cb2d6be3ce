import { compareClose, useBackend } from '@kadapter/test-utils';
import * as tf from '@tensorflow/tfjs';
import { expect } from 'vitest';
import { float32Data, type GraphTensor, type OrtTensor, ortTensor } from '../src/index.js';

/** Tensor data as the tests describe inputs: shape, values, dtype. */
export interface Data {
  shape: number[];
  values: Float32Array | Int32Array;
}

/** Deterministic values in [lo, hi) from a seed (LCG; independent of any engine's RNG). */
export function uniform(n: number, seed: number, lo = -1, hi = 1): Float32Array {
  const out = new Float32Array(n);
  let s = (seed >>> 0) % 2147483648 || 1;
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) % 2147483648;
    out[i] = lo + (s / 2147483648) * (hi - lo);
  }
  return out;
}

export const sizeOf = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

export const toTf = (d: Data): tf.Tensor =>
  d.values instanceof Int32Array ? tf.tensor(d.values, d.shape, 'int32') : tf.tensor(d.values, d.shape, 'float32');

export const toOrt = (d: Data): OrtTensor => ortTensor(d.values, d.shape);

export const fromTf = (t: tf.Tensor): Data => ({
  shape: [...t.shape],
  values: t.dtype === 'int32' ? (t.dataSync() as Int32Array).slice() : Float32Array.from(t.dataSync()),
});

export function values(t: OrtTensor): Float32Array {
  return float32Data(t, 'output');
}

/**
 * The parity tolerance of the engine: |a - b| <= rel·(|b| + max|b|), i.e. relative `rel` per
 * element with a floor of `rel` times the tensor's largest magnitude (sums that cancel to ~0 are
 * compared at the scale of their terms).
 */
export function expectRel(actual: OrtTensor, expected: tf.Tensor | Data, label: string, rel = 1e-5): number {
  const ref = expected instanceof tf.Tensor ? fromTf(expected) : expected;
  expect([...actual.dims], `${label}: shape`).toEqual(ref.shape);
  let scale = 0;
  for (const v of ref.values) scale = Math.max(scale, Math.abs(v));
  const r = compareClose(actual.data as Float32Array, ref.values, { atol: rel * scale, rtol: rel });
  expect(r.ok, `${label}: max |diff| ${r.maxAbs} at scale ${scale} (first failing index ${r.worst})`).toBe(true);
  return r.maxAbs;
}

/**
 * Runs `fn` on tfjs' cpu backend (the reference: float64 Math kernels rounded to float32) and
 * releases every tensor it made: `fn` returns plain data.
 */
export async function onTfCpu<T>(fn: () => T): Promise<T> {
  await useBackend('cpu');
  tf.engine().startScope();
  try {
    return fn();
  } finally {
    tf.engine().endScope();
  }
}

export type { GraphTensor };
