import type { Int32Tensor } from '@kadapter/data-encode';
import type { BackboneOutput } from '@kadapter/nn';
import type { TransformerBackbone } from '@kadapter/backbone';
import * as tf from '@tensorflow/tfjs';

/** An encoded int32 feature as a tfjs tensor. */
export function toTensor(t: Int32Tensor | undefined, name: string): tf.Tensor {
  if (!t) throw new Error(`encoded features lack '${name}'`);
  return tf.tensor(t.data, t.shape, 'int32');
}

/** Backbone states a frozen backbone produced once for a whole dataset: the taps and the last layer. */
export interface FrozenStates {
  taps: Map<number, tf.Tensor3D>;
  last: tf.Tensor3D;
  mask: tf.Tensor2D;
}

/**
 * Runs the frozen backbone over a dataset once, in batches, and keeps only the states adapters and
 * heads read. Since the backbone never changes, every epoch reuses them (the feature-cache idea,
 * in memory: the demo data is small).
 */
export function frozenStates(
  backbone: TransformerBackbone,
  inputIds: tf.Tensor2D,
  mask: tf.Tensor2D,
  taps: readonly number[],
  batchSize = 32,
): FrozenStates {
  const n = inputIds.shape[0];
  const parts = { taps: new Map<number, tf.Tensor3D[]>(taps.map((t) => [t, []])), last: [] as tf.Tensor3D[] };
  for (let i = 0; i < n; i += batchSize) {
    const size = Math.min(batchSize, n - i);
    tf.tidy(() => {
      const out = backbone.encode(
        { inputIds: tf.slice(inputIds, [i, 0], [size, -1]), attentionMask: tf.slice(mask, [i, 0], [size, -1]) },
        { taps },
      );
      for (const t of taps) parts.taps.get(t)?.push(tf.keep(out.hiddenStates[t] as tf.Tensor3D));
      parts.last.push(tf.keep(out.last));
    });
  }
  const cat = (xs: tf.Tensor3D[]) => {
    const c = tf.concat(xs, 0) as tf.Tensor3D;
    for (const x of xs) x.dispose();
    return c;
  };
  return {
    taps: new Map([...parts.taps].map(([t, xs]) => [t, cat(xs)])),
    last: cat(parts.last),
    mask: tf.cast(mask, 'float32') as tf.Tensor2D,
  };
}

/** The backbone output of a subset of examples, as the adapters and heads expect it. */
export function backboneRows(states: FrozenStates, rows: tf.Tensor1D): BackboneOutput {
  const hiddenStates: Array<tf.Tensor3D | undefined> = [];
  for (const [t, h] of states.taps) hiddenStates[t] = tf.gather(h, rows) as tf.Tensor3D;
  return {
    hiddenStates,
    last: tf.gather(states.last, rows) as tf.Tensor3D,
    mask: tf.gather(states.mask, rows) as tf.Tensor2D,
  };
}

export function disposeStates(s: FrozenStates): void {
  for (const t of s.taps.values()) t.dispose();
  s.last.dispose();
  s.mask.dispose();
}

/** Row indices 0..n-1 as an int32 tensor. */
export function allRows(n: number): tf.Tensor1D {
  return tf.range(0, n, 1, 'int32') as tf.Tensor1D;
}
