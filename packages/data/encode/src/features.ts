import { ShapeError } from '@kadapter/core';
import type { EncodeOutcome } from '@kadapter/core';

/** An int32 tensor: shape and row-major values. */
export interface Int32Tensor {
  shape: number[];
  data: Int32Array;
}

/** The encoded examples of one input: feature tensors `[N, ...shape]`, `example_index` and counts. */
export interface FeatureSet {
  tensors: Map<string, Int32Tensor>;
  /** input index (0-based record number) of every kept example */
  exampleIndex: Int32Array;
  /** records read */
  read: number;
  /** dropped records by reason */
  skipped: Record<string, number>;
  /** counts of notes on kept examples (e.g. `marker_clamped`) */
  notes: Record<string, number>;
}

/** A growable Int32Array. */
class Column {
  private data = new Int32Array(1024);
  length = 0;

  push(values: ArrayLike<number>): void {
    if (this.length + values.length > this.data.length) {
      const next = new Int32Array(Math.max(this.data.length * 2, this.length + values.length));
      next.set(this.data.subarray(0, this.length));
      this.data = next;
    }
    this.data.set(values, this.length);
    this.length += values.length;
  }

  toArray(): Int32Array {
    return this.data.slice(0, this.length);
  }
}

function count(map: Record<string, number>, key: string): void {
  map[key] = (map[key] ?? 0) + 1;
}

/**
 * Gathers outcomes into column tensors. `shapes` gives every feature's per-example shape; a kept
 * example with a missing feature or the wrong number of values is a ShapeError naming the tensor.
 */
export async function collectFeatures(
  outcomes: AsyncIterable<EncodeOutcome>,
  shapes: Record<string, number[]>,
): Promise<FeatureSet> {
  const sizes = Object.entries(shapes).map(([name, shape]) => [name, shape.reduce((a, b) => a * b, 1)] as const);
  const columns = new Map(sizes.map(([name]) => [name, new Column()]));
  const index = new Column();
  const skipped: Record<string, number> = {};
  const notes: Record<string, number> = {};
  let read = 0;
  for await (const outcome of outcomes) {
    read++;
    if ('skip' in outcome) {
      count(skipped, outcome.skip);
      continue;
    }
    for (const [name, size] of sizes) {
      const values = outcome.features[name];
      if (!values || values.length !== size) {
        throw new ShapeError(
          `example ${outcome.index}: expected ${size} values, got ${values ? values.length : 'none'}`,
          { tensor: name },
        );
      }
      columns.get(name)!.push(values);
    }
    index.push([outcome.index]);
    for (const note of outcome.notes ?? []) count(notes, note);
  }
  const kept = index.length;
  const tensors = new Map<string, Int32Tensor>();
  for (const [name, shape] of Object.entries(shapes)) {
    tensors.set(name, { shape: [kept, ...shape], data: columns.get(name)!.toArray() });
  }
  return { tensors, exampleIndex: index.toArray(), read, skipped, notes };
}
