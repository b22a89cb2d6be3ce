import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { compareClose, useBackend } from '../src/index.js';

beforeAll(() => useBackend('cpu'));

describe('compareClose', () => {
  it('maxAbs is the largest difference over all elements; worst is the first index out of tolerance', () => {
    // differences 0, 0.5, 0.1, 2, 0: index 1 fails first, index 3 has the largest difference
    const r = compareClose([1, 2, 3, 4, 5], [1, 2.5, 3.1, 6, 5], { atol: 0.2, rtol: 0 });
    expect(r.ok).toBe(false);
    expect(r.worst).toBe(1);
    expect(r.maxAbs).toBe(2);
  });

  it('within tolerance: ok, worst -1, maxAbs still the true maximum', () => {
    const r = compareClose(tf.tensor1d([1, 2, 3]), [1, 2.00005, 2.99992], { atol: 1e-4, rtol: 0 });
    expect([r.ok, r.worst]).toEqual([true, -1]);
    expect(r.maxAbs).toBeCloseTo(8e-5, 6);
    expect(r.shapes).toEqual([[3], undefined]);
  });

  it('a NaN anywhere makes maxAbs NaN and fails; different lengths never pass', () => {
    const nan = compareClose([Number.NaN, 1, 5], [0, 1, 1]);
    expect([nan.ok, nan.worst, nan.maxAbs]).toEqual([false, 0, Number.NaN]);
    const short = compareClose([1, 2], [1, 2, 3]);
    expect([short.ok, short.lengths]).toEqual([false, [2, 3]]);
  });
});
