import * as tf from '@tensorflow/tfjs';
import { expectClose, type Tolerance } from './close.js';

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
 * An optimizer step: the parameters after it within `atol` absolute, and the update itself
 * (after − before) within `updateRtol` of the expected update, with the absolute floor `updateAtol`.
 * A first Adam step moves each element by about lr (2.5e-5 in the fixture), so an absolute check
 * alone hides a wrong step size: the update is compared at rel 1e-2. The floor 6e-8 is float32
 * rounding of the parameters (half an ulp at |p| in [0.5, 1)), 400x below the update size.
 */
export const OPTIMIZER_STEP = { atol: 1e-7, updateRtol: 1e-2, updateAtol: 6e-8 } as const;

/**
 * Asserts one parameter after an optimizer step: `after` against `expected` within
 * `OPTIMIZER_STEP.atol`, and the update (after − before) against (expected − before) within
 * `OPTIMIZER_STEP.updateRtol` + `updateAtol`. Disposes what it computes.
 */
export function expectOptimizerStep(after: tf.Tensor, before: tf.Tensor, expected: tf.Tensor, label: string): void {
  expectClose(after, expected, label, { atol: OPTIMIZER_STEP.atol, rtol: 0 });
  tf.tidy(() =>
    expectClose(tf.sub(after, before), tf.sub(expected, before), `update of ${label}`, {
      atol: OPTIMIZER_STEP.updateAtol,
      rtol: OPTIMIZER_STEP.updateRtol,
    }),
  );
}
