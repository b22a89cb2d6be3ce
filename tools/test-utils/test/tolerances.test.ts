import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectOptimizerStep, useBackend } from '../src/index.js';

beforeAll(() => useBackend('cpu'));

describe('expectOptimizerStep', () => {
  it('passes for the expected step, leaving no tensors behind', () => {
    const [before, expected, after] = [
      [0.5, -0.25],
      [0.500025, -0.250025],
      [0.500025, -0.250025],
    ].map((v) => tf.tensor1d(v)) as [tf.Tensor, tf.Tensor, tf.Tensor];
    const live = tf.memory().numTensors;
    expectOptimizerStep(after, before, expected, 'p');
    expect(tf.memory().numTensors).toBe(live);
    tf.dispose([before, expected, after]);
  });

  it('fails on a parameter off by more than 1e-7', () => {
    // 3 % of a 2.5e-5 update is 7.5e-7
    const [before, expected, after] = [[0.5], [0.500025], [0.50002575]].map((v) => tf.tensor1d(v)) as tf.Tensor[];
    expect(() => expectOptimizerStep(after!, before!, expected!, 'p')).toThrow(/^p: max \|diff\|/);
    tf.dispose([before!, expected!, after!]);
  });

  it('fails on an update off by more than 1e-2 of itself + 6e-8, even within 1e-7 absolute', () => {
    // near 0 float32 resolves 1e-10: the parameter is 9e-8 off (passes), the 1e-6 update 9 % off (fails)
    const [before, expected, after] = [[1e-3], [1e-3 + 1e-6], [1e-3 + 1e-6 + 9e-8]].map((v) =>
      tf.tensor1d(v),
    ) as tf.Tensor[];
    expect(() => expectOptimizerStep(after!, before!, expected!, 'p')).toThrow(/^update of p: max \|diff\|/);
    tf.dispose([before!, expected!, after!]);
  });
});
