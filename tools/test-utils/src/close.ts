import * as tf from '@tensorflow/tfjs';
import { expect } from 'vitest';

export interface Tolerance {
  /** absolute tolerance (default 1e-4, the parity tolerance for activations) */
  atol?: number;
  /** relative tolerance (default 1e-4) */
  rtol?: number;
}

type Numeric = tf.Tensor | ArrayLike<number> | ArrayLike<bigint>;

function toFloat(x: Numeric): { values: Float64Array; shape?: number[] } {
  if (x instanceof tf.Tensor) return { values: Float64Array.from(x.dataSync() as ArrayLike<number>), shape: x.shape };
  return { values: Float64Array.from(Array.from(x as ArrayLike<number | bigint>, Number)) };
}

/**
 * Whether every element satisfies |a - b| <= atol + rtol·|b|, the largest |a - b| over all elements
 * (NaN when any difference is NaN; 0 when the lengths differ, which is never ok), and `worst`, the
 * first index out of tolerance (-1 when none).
 */
export function compareClose(actual: Numeric, expected: Numeric, tol: Tolerance = {}) {
  const atol = tol.atol ?? 1e-4;
  const rtol = tol.rtol ?? 1e-4;
  const a = toFloat(actual);
  const b = toFloat(expected);
  const sameLength = a.values.length === b.values.length;
  let maxAbs = 0;
  let worst = -1;
  for (let i = 0; sameLength && i < a.values.length; i++) {
    const d = Math.abs((a.values[i] as number) - (b.values[i] as number));
    if (worst < 0 && !(d <= atol + rtol * Math.abs(b.values[i] as number))) worst = i;
    if (d > maxAbs || Number.isNaN(d)) maxAbs = Number.isNaN(d) ? Number.NaN : d;
  }
  const ok = sameLength && worst < 0;
  return { ok, maxAbs, worst, lengths: [a.values.length, b.values.length], shapes: [a.shape, b.shape] };
}

/**
 * Asserts element-wise closeness (and equal shapes when both are tensors). The failure message
 * names `label`, the max difference and the first offending index.
 */
export function expectClose(actual: Numeric, expected: Numeric, label: string, tol: Tolerance = {}): number {
  const r = compareClose(actual, expected, tol);
  if (r.shapes[0] && r.shapes[1]) expect(r.shapes[0], `${label}: shape`).toEqual(r.shapes[1]);
  expect(r.lengths[0], `${label}: element count`).toBe(r.lengths[1]);
  expect(r.ok, `${label}: max |diff| ${r.maxAbs} (first failing index ${r.worst})`).toBe(true);
  return r.maxAbs;
}

/**
 * Asserts that `actual` is a scalar close to the one element of `expected` (the fixture stores
 * scalars such as losses with shape [1]).
 */
export function expectScalarClose(actual: tf.Tensor, expected: tf.Tensor, label: string, tol: Tolerance = {}): number {
  expect(actual.shape, `${label}: shape`).toEqual([]);
  expect(expected.size, `${label}: reference element count`).toBe(1);
  return expectClose(actual.dataSync(), expected.dataSync(), label, tol);
}
