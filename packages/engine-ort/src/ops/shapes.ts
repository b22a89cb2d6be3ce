import { ShapeError } from '@kadapter/core';

/** Static shape arithmetic of the traced ops; every mismatch is a ShapeError naming the op. */

export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** NumPy broadcasting of two shapes. */
export function broadcastShapes(op: string, a: readonly number[], b: readonly number[]): number[] {
  const rank = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new ShapeError(`${op}: shapes [${a}] and [${b}] do not broadcast`);
    }
    out.push(da === 1 ? db : da);
  }
  return out;
}

/** The axes of `full` that broadcasting expanded from `shape` (leading axes included). */
export function broadcastAxes(shape: readonly number[], full: readonly number[]): number[] {
  const lead = full.length - shape.length;
  const axes: number[] = [];
  for (let i = 0; i < full.length; i++) {
    if (i < lead || (shape[i - lead] === 1 && full[i] !== 1)) axes.push(i);
  }
  return axes;
}

/** One axis, negative counted from the end, checked against `rank`. */
export function normalizeAxis(op: string, axis: number, rank: number): number {
  const a = axis < 0 ? axis + rank : axis;
  if (!Number.isInteger(axis) || a < 0 || a >= rank)
    throw new ShapeError(`${op}: axis ${axis} is out of range for rank ${rank}`);
  return a;
}

/** Sorted axes; `undefined` = all axes. An axis named twice is an error (as in NumPy). */
export function normalizeAxes(op: string, axes: number | readonly number[] | undefined, rank: number): number[] {
  if (axes === undefined) return Array.from({ length: rank }, (_, i) => i);
  const list = (typeof axes === 'number' ? [axes] : axes).map((a) => normalizeAxis(op, a, rank));
  if (new Set(list).size !== list.length) throw new ShapeError(`${op}: axes [${axes}] name an axis twice`);
  return list.sort((a, b) => a - b);
}

/** The shape after reducing `axes` (kept as 1 with `keepDims`). */
export function reducedShape(shape: readonly number[], axes: readonly number[], keepDims: boolean): number[] {
  const out: number[] = [];
  shape.forEach((d, i) => {
    if (!axes.includes(i)) out.push(d);
    else if (keepDims) out.push(1);
  });
  return out;
}

/** A reshape target with its one -1 resolved. */
export function resolveReshape(from: readonly number[], to: readonly number[]): number[] {
  const size = sizeOf(from);
  const unknown = to.filter((d) => d === -1).length;
  const known = to.reduce((a, d) => (d === -1 ? a : a * d), 1);
  const bad = to.some((d) => !Number.isInteger(d) || d < -1) || unknown > 1;
  const out = to.map((d) => (d === -1 ? (known === 0 ? 0 : size / known) : d));
  if (bad || !Number.isInteger(sizeOf(out)) || sizeOf(out) !== size || out.some((d) => !Number.isInteger(d))) {
    throw new ShapeError(`reshape: cannot reshape [${from}] (${size} elements) to [${to}]`);
  }
  return out;
}

export function checkPermutation(perm: readonly number[], rank: number): void {
  const ok = perm.length === rank && [...perm].sort((a, b) => a - b).every((p, i) => p === i);
  if (!ok) throw new ShapeError(`transpose: [${perm}] is not a permutation of ${rank} axes`);
}

/** The slice's sizes with -1 resolved, checked against the input. */
export function resolveSlice(shape: readonly number[], begin: readonly number[], size: readonly number[]): number[] {
  if (begin.length !== shape.length || size.length !== shape.length) {
    throw new ShapeError(`slice: begin [${begin}] and size [${size}] need one entry per axis of [${shape}]`);
  }
  return shape.map((d, i) => {
    const b = begin[i] as number;
    const s = size[i] === -1 ? d - b : (size[i] as number);
    if (!Number.isInteger(b) || !Number.isInteger(s) || b < 0 || s < 0 || b + s > d) {
      throw new ShapeError(`slice: begin [${begin}] size [${size}] is outside [${shape}]`);
    }
    return s;
  });
}
