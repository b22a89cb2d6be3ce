import type { FeatureSet } from '@kadapter/data-encode';

/** The examples [from, to) of an encoded set (every tensor sliced along its first axis). */
export function sliceFeatures(set: FeatureSet, from: number, to: number): FeatureSet {
  const tensors = new Map(
    [...set.tensors].map(([name, t]) => {
      const row = t.shape.slice(1).reduce((a, b) => a * b, 1);
      return [name, { shape: [to - from, ...t.shape.slice(1)], data: t.data.slice(from * row, to * row) }];
    }),
  );
  return { ...set, tensors, exampleIndex: set.exampleIndex.slice(from, to) };
}

/** Number of encoded examples in a set. */
export const count = (set: FeatureSet) => set.exampleIndex.length;

/** `{reason: n}` as "reason n, ..." (or "none"). */
export function skips(set: FeatureSet): string {
  const parts = Object.entries(set.skipped)
    .filter(([, n]) => n > 0)
    .map(([r, n]) => `${r} ${n}`);
  return parts.length > 0 ? parts.join(', ') : 'none';
}
