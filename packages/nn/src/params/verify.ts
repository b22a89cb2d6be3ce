import { ShapeError, WeightsError } from '@kadapter/core';
import type { Def } from './def.js';
import { leaves } from './walk.js';

/** Expected tensors of a module: PyTorch name -> shape (PyTorch layout). */
export type WeightSpec = Map<string, readonly number[]>;

/** Anything with a shape: tfjs tensors, or safetensors header entries. */
export interface Shaped {
  shape: readonly number[];
}

/**
 * Verifies that `actual` holds exactly the tensors of `spec` with the right shapes. Every missing,
 * unexpected and misshaped tensor is named in one error. `ignore` lets callers tolerate extra
 * tensors they handle elsewhere (e.g. pre-training head weights next to adapter weights).
 */
export function verifyWeights(
  actual: ReadonlyMap<string, Shaped>,
  spec: WeightSpec,
  source: string,
  ignore: (name: string) => boolean = () => false,
): void {
  const missing: string[] = [];
  const misshaped: string[] = [];
  for (const [name, shape] of spec) {
    const t = actual.get(name);
    if (!t) missing.push(name);
    else if (!sameShape(t.shape, shape)) misshaped.push(`${name} is [${t.shape}], expected [${shape}]`);
  }
  const unexpected = [...actual.keys()].filter((n) => !spec.has(n) && !ignore(n));
  if (misshaped.length > 0 && missing.length === 0 && unexpected.length === 0) {
    throw new ShapeError(`wrong shapes: ${misshaped.join('; ')}`, {
      file: source,
      tensor: misshaped[0]?.split(' ')[0],
    });
  }
  if (missing.length + unexpected.length + misshaped.length > 0) {
    const parts: string[] = [];
    if (missing.length > 0) parts.push(`missing ${missing.length}: ${list(missing)}`);
    if (unexpected.length > 0) parts.push(`unexpected ${unexpected.length}: ${list(unexpected)}`);
    if (misshaped.length > 0) parts.push(`wrong shapes: ${list(misshaped)}`);
    throw new WeightsError(`weights do not match the module (${parts.join('; ')})`, missing, unexpected, {
      file: source,
    });
  }
}

function list(names: string[]): string {
  return names.length <= 12 ? names.join(', ') : `${names.slice(0, 12).join(', ')}, ... (${names.length - 12} more)`;
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/** The tensors a definition expects in a file: PyTorch name -> PyTorch shape (a transposed 2-D tensor reversed). */
export function weightSpec(def: Def, prefix = ''): WeightSpec {
  return new Map(leaves(def, prefix).map((l) => [l.name, storedShape(l.def)]));
}

/** Shape of a tensor as stored in files. */
export function storedShape(t: { shape: readonly number[]; layout: 'same' | 'transposed' }): readonly number[] {
  return t.layout === 'transposed' ? [...t.shape].reverse() : t.shape;
}
