import { OPENENTITY_TYPES } from '@kadapter/data-encode';
import { loadSafetensors } from '@kadapter/io';
import { tinyFixture } from '@kadapter/test-utils';
import type * as tf from '@tensorflow/tfjs';

/** Tensors of vectors.safetensors whose names start with one of `prefixes`. */
export function vectors(...prefixes: string[]): Promise<Map<string, tf.Tensor>> {
  return loadSafetensors(tinyFixture('vectors.safetensors'), (n) => prefixes.some((p) => n.startsWith(p)));
}

/** A fixture weights file, optionally only the tensors under some prefixes. */
export function weights(file: string[], ...prefixes: string[]): Promise<Map<string, tf.Tensor>> {
  return loadSafetensors(tinyFixture(...file), (n) => prefixes.length === 0 || prefixes.some((p) => n.startsWith(p)));
}

/** OpenEntity's 9 types in the official order (examples/utils_glue.py:160). */
export const OPENENTITY_LABELS = [...OPENENTITY_TYPES];

export const H = 64;

export function get(m: Map<string, tf.Tensor>, name: string): tf.Tensor {
  const t = m.get(name);
  if (!t) throw new Error(`fixture tensor ${name} missing`);
  return t;
}
