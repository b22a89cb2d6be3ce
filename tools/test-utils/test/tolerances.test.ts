import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectOptimizerStep, OPTIMIZER_STEP, useBackend } from '../src/index.js';

beforeAll(() => useBackend('cpu'));

/** start, expected and after as 1-D tensors; `fn` runs with them and they are disposed after. */
function withStep(
  start: number[],
  expected: number[],
  after: number[],
  fn: (s: tf.Tensor, e: tf.Tensor, a: tf.Tensor) => void,
) {
  const [s, e, a] = [start, expected, after].map((v) => tf.tensor1d(v)) as [tf.Tensor, tf.Tensor, tf.Tensor];
  try {
    fn(s, e, a);
  } finally {
    tf.dispose([s, e, a]);
  }
}

describe('expectOptimizerStep', () => {
  it('passes the expected step, leaving no tensors behind', () => {
    withStep([0.5, -0.25], [0.500025, -0.250025], [0.500025, -0.250025], (s, e, a) => {
      const live = tf.memory().numTensors;
      expectOptimizerStep(a, s, e, 'p');
      expect(tf.memory().numTensors).toBe(live);
    });
  });

  it('passes an element further than atol whose update is within 1e-2 of the expected update', () => {
    // update 1, off by 0.5 %: 5e-3 from the expected value, far beyond 1e-7
    withStep([0, 0.5], [1, 0.500025], [1.005, 0.500025], (s, e, a) => expectOptimizerStep(a, s, e, 'p'));
  });

  it('fails an element off by more than atol and more than 1e-2 of its update, naming it', () => {
    // second element: 3 % of a 2.5e-5 update = 7.5e-7 > 1e-7
    withStep([0.5, 0.5], [0.500025, 0.500025], [0.500025, 0.50002575], (s, e, a) =>
      expect(() => expectOptimizerStep(a, s, e, 'p')).toThrow(/^p: 1 of 2 elements .*first at index 1/),
    );
  });

  it('takes the absolute bound of several steps', () => {
    // 1.5e-7 from the expected value and 15 % of a 1e-6 update: fails at 1e-7, passes at 2e-7
    withStep([1e-3], [1e-3 + 1e-6], [1e-3 + 1e-6 + 1.5e-7], (s, e, a) => {
      expect(() => expectOptimizerStep(a, s, e, 'p')).toThrow(/^p: 1 of 1 elements/);
      expectOptimizerStep(a, s, e, 'p', OPTIMIZER_STEP.atolAfterSteps);
    });
  });
});
