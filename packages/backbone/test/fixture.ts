import { loadSafetensors } from '@kadapter/io';
import { tinyFixture } from '@kadapter/test-utils';
import type * as tf from '@tensorflow/tfjs';

/** Reference tensors of the tiny fixture (`vectors.safetensors`) whose names start with `prefix`. */
export async function referenceVectors(prefix: string): Promise<Map<string, tf.Tensor>> {
  return loadSafetensors(tinyFixture('vectors.safetensors'), (n) => n.startsWith(prefix));
}

export function get<T extends tf.Tensor = tf.Tensor>(vectors: Map<string, tf.Tensor>, name: string): T {
  const t = vectors.get(name);
  if (!t) throw new Error(`fixture tensor ${name} is missing`);
  return t as T;
}

/** Runs `fn` and returns what it threw (fails when it does not throw). */
export async function thrown(fn: () => unknown): Promise<Error> {
  try {
    await fn();
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected an error, none was thrown');
}

/** Largest |a - b| over all elements (compareClose stops at the first element out of tolerance). */
export function maxAbsDiff(a: tf.Tensor | number[], b: tf.Tensor | number[]): number {
  const x = Array.isArray(a) ? a : Array.from(a.dataSync());
  const y = Array.isArray(b) ? b : Array.from(b.dataSync());
  if (x.length !== y.length) throw new Error(`length ${x.length} vs ${y.length}`);
  return x.reduce((m, v, i) => Math.max(m, Math.abs(v - (y[i] as number))), 0);
}

/** The parity tolerance for activations: 1e-4 absolute, nothing relative. */
export const PARITY = { atol: 1e-4, rtol: 0 } as const;
