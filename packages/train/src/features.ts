import { InputError, type HostTensor } from '@kadapter/core';
import * as tf from '@tensorflow/tfjs';

/** Encoded examples as host columns by feature name, each [N, ...] (e.g. a data-encode FeatureSet's tensors). */
export type FeatureColumns = ReadonlyMap<string, HostTensor>;

/** Number of examples of a set of columns (they must all agree). */
export function exampleCount(columns: FeatureColumns, source = 'features'): number {
  let n: number | undefined;
  for (const [name, t] of columns) {
    const rows = t.shape[0] as number;
    if (n !== undefined && rows !== n) {
      throw new InputError(`column '${name}' has ${rows} rows, the others ${n}`, { file: source, field: name });
    }
    n = rows;
  }
  if (n === undefined) throw new InputError('no feature columns', { file: source });
  return n;
}

/** The named column, or an InputError naming what the task needs and what there is. */
export function column(columns: FeatureColumns, name: string, source = 'features'): HostTensor {
  const t = columns.get(name);
  if (!t) {
    throw new InputError(`the task reads feature '${name}', the features have ${[...columns.keys()].join(', ')}`, {
      file: source,
      field: name,
    });
  }
  return t;
}

/** Rows `rows` of a column, as host data [rows, ...]. */
export function takeRows(t: HostTensor, rows: readonly number[]): HostTensor {
  const inner = t.shape.slice(1).reduce((a, b) => a * b, 1);
  const out = new Int32Array(rows.length * inner);
  rows.forEach((r, i) => {
    for (let k = 0; k < inner; k++) out[i * inner + k] = t.data[r * inner + k] as number;
  });
  return { shape: [rows.length, ...t.shape.slice(1)], data: out };
}

/** A host int column as an int32 tfjs tensor. */
export function toIntTensor(t: HostTensor): tf.Tensor {
  return tf.tensor(t.data as Int32Array, [...t.shape], 'int32');
}
