import * as tf from '@tensorflow/tfjs';
import { expect } from 'vitest';
import type { Tolerance } from './close.js';

/*
 * Tolerances of the parity tests against the tiny fixture, from its README ("Observed tolerances":
 * the worst float32 difference of an independent numpy recomputation is 2.86e-6 on O(1) values).
 */

/** Activations (hidden states, adapter and fusion outputs, logits, losses): 1e-4 absolute, nothing relative. */
export const PARITY = { atol: 1e-4, rtol: 0 } as const satisfies Tolerance;

/** Gradients (`grad.*`): 1e-3 relative + 1e-6 absolute. */
export const GRADIENT = { atol: 1e-6, rtol: 1e-3 } as const satisfies Tolerance;

/** A gradient norm (`train.grad_total_norm`, one scalar summed over every parameter): 1e-4 relative + 1e-6 absolute. */
export const GRADIENT_NORM = { atol: 1e-6, rtol: 1e-4 } as const satisfies Tolerance;

/** Bit-identical: a round trip through a file, the same computation twice. */
export const EXACT = { atol: 0, rtol: 0 } as const satisfies Tolerance;

/**
 * Parameters after optimizer steps (fixture README): within `atol` absolute (1e-7 after one step,
 * `atolAfterSteps` 2e-7 after several), or within `updateRtol` of the update (after − start). A
 * first Adam step moves each element by about lr (2.5e-5 in the fixture), so float32 rounding of
 * O(1) parameters (up to 6e-8) is a large part of it: elements the absolute bound misses are
 * judged by their update.
 */
export const OPTIMIZER_STEP = { atol: 1e-7, atolAfterSteps: 2e-7, updateRtol: 1e-2 } as const;

/**
 * An update (after − start) compared as a tensor with the expected one: 1e-2 relative, with an
 * absolute floor of 6e-8, float32 rounding of the parameters (half an ulp at |p| in [0.5, 1)),
 * 400x below a 2.5e-5 update, so a wrong step size or direction still fails.
 */
export const OPTIMIZER_UPDATE = { atol: 6e-8, rtol: 1e-2 } as const satisfies Tolerance;

/**
 * Asserts a parameter after optimizer steps the way the fixture README compares them: every
 * element within `atol` of `expected`, or its update (after − start) within
 * `OPTIMIZER_STEP.updateRtol` of the expected update (expected − start). The message names how
 * many elements fail and the first one. Disposes what it computes.
 */
export function expectOptimizerStep(
  after: tf.Tensor,
  start: tf.Tensor,
  expected: tf.Tensor,
  label: string,
  atol: number = OPTIMIZER_STEP.atol,
): void {
  expect(after.shape, `${label}: shape`).toEqual(expected.shape);
  const ok = tf.tidy(() => {
    const update = tf.sub(expected, start);
    return tf
      .logicalOr(
        tf.lessEqual(tf.abs(tf.sub(after, expected)), atol),
        tf.lessEqual(tf.abs(tf.sub(tf.sub(after, start), update)), tf.mul(tf.abs(update), OPTIMIZER_STEP.updateRtol)),
      )
      .dataSync() as Uint8Array;
  });
  const first = ok.indexOf(0);
  if (first < 0) return;
  const at = (t: tf.Tensor) => t.dataSync()[first];
  const failing = ok.filter((v) => v === 0).length;
  expect.fail(
    `${label}: ${failing} of ${ok.length} elements are neither within ${atol} of the expected value nor within ` +
      `${OPTIMIZER_STEP.updateRtol} of the expected update (first at index ${first}: after ${at(after)}, ` +
      `expected ${at(expected)}, start ${at(start)})`,
  );
}
