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
