import type { RawData } from './raw-tensor.js';

/** True when `stride` is the row-major stride of `shape` (size-1 dimensions may have any stride). */
export function isContiguous(shape: readonly number[], stride: readonly number[]): boolean {
  let expected = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    const size = shape[d] as number;
    if (size === 0) return true;
    if (size !== 1 && stride[d] !== expected) return false;
    expected *= size;
  }
  return true;
}

/**
 * Copies the elements of a strided view into a new row-major array of the same type. `span` holds
 * the storage elements from the view's first element on (so the view's offset is 0 in it); strides
 * may be anything torch allows (transposes, steps, 0 for broadcast dimensions).
 */
export function gatherStrided(span: RawData, shape: readonly number[], stride: readonly number[]): RawData {
  const n = shape.reduce((a, b) => a * b, 1);
  const out = new (span.constructor as new (n: number) => RawData)(n);
  if (n === 0) return out;
  const rank = shape.length;
  const index = new Array<number>(rank).fill(0);
  const src = span as unknown as { [i: number]: number | bigint };
  const dst = out as unknown as { [i: number]: number | bigint };
  let at = 0;
  for (let i = 0; i < n; i++) {
    dst[i] = src[at] as number | bigint;
    for (let d = rank - 1; d >= 0; d--) {
      const s = stride[d] as number;
      const next = (index[d] as number) + 1;
      if (next < (shape[d] as number)) {
        index[d] = next;
        at += s;
        break;
      }
      at -= s * ((shape[d] as number) - 1);
      index[d] = 0;
    }
  }
  return out;
}
