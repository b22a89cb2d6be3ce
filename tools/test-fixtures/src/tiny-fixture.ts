import { loadSafetensors, SafetensorsFile } from '@kadapter/io';
import { tinyFixture } from '@kadapter/test-utils';
import type * as tf from '@tensorflow/tfjs';

const startsWithAny = (prefixes: readonly string[]) => (name: string) =>
  prefixes.length === 0 || prefixes.some((p) => name.startsWith(p));

/**
 * The reference tensors of the tiny fixture (`vectors.safetensors`, the official code's inputs and
 * outputs) whose names start with one of `prefixes` (all of them when none is given). I64 tensors
 * come as int32. The caller disposes them.
 */
export function fixtureVectors(...prefixes: string[]): Promise<Map<string, tf.Tensor>> {
  return loadSafetensors(tinyFixture('vectors.safetensors'), startsWithAny(prefixes));
}

/**
 * A fixture weights file (a path under `kadapter-tiny`, e.g. `['heads', 'entity_typing.safetensors']`)
 * as tensors, only those whose names start with one of `prefixes` when some are given. The caller
 * disposes them.
 */
export function fixtureWeights(file: readonly string[], ...prefixes: string[]): Promise<Map<string, tf.Tensor>> {
  return loadSafetensors(tinyFixture(...file), startsWithAny(prefixes));
}

/** One reference tensor of `vectors.safetensors` as plain numbers (no tfjs): its shape and values. */
export async function fixtureNumbers(name: string): Promise<{ shape: number[]; values: number[] }> {
  const file = await SafetensorsFile.open(tinyFixture('vectors.safetensors'));
  try {
    const raw = await file.readRaw(name);
    return { shape: raw.shape, values: Array.from(raw.data as ArrayLike<number | bigint>, Number) };
  } finally {
    await file.close();
  }
}

/** The tensor `name` of a map of fixture tensors; a missing one is an error naming it. */
export function tensorOf<T extends tf.Tensor = tf.Tensor>(named: ReadonlyMap<string, tf.Tensor>, name: string): T {
  const t = named.get(name);
  if (!t) throw new Error(`fixture tensor ${name} is missing`);
  return t as T;
}

/** The tensor `name` of a map of fixture tensors as int32 values in host memory (a feature column). */
export function int32Column(
  named: ReadonlyMap<string, tf.Tensor>,
  name: string,
): { shape: number[]; data: Int32Array } {
  const t = tensorOf(named, name);
  return { shape: t.shape, data: Int32Array.from(t.dataSync()) };
}
