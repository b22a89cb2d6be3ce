import { InputError, ShapeError } from '@kadapter/core';
import type { GraphTensor } from '../graph/graph.js';
import { attr } from '../onnx/model.js';
import * as raw from './raw.js';

function asIds(op: string, ids: GraphTensor): GraphTensor {
  if (ids.dtype !== 'int32' && ids.dtype !== 'float32')
    throw new InputError(`${op}: ids must be int32, got ${ids.dtype}`);
  return raw.cast(ids, 'int32');
}

/**
 * Rows of `table` [V, D] at int32 `ids` -> [...ids, D]. The gradient scatters dy back into a
 * zero [V, D] with repeated ids summed (ScatterND, reduction add); ids get none.
 */
export function gather(table: GraphTensor, ids: GraphTensor): GraphTensor {
  if (table.shape.length !== 2) throw new ShapeError(`gather: table must be [rows, dim], got [${table.shape}]`);
  const index = asIds('gather', ids);
  const [rows, dim] = table.shape as [number, number];
  const g = table.graph;
  const y = g.emit1('Gather', [table, index], [...index.shape, dim], table.dtype, { axis: attr.int(0) });
  g.record(y, [table], (dy) => [raw.scatterAddRows(index, dy, [rows, dim])]);
  return y;
}

/**
 * float32 one-hot [..., depth] of int32 ids as ids == [0, depth): an id outside the range gives a
 * zero row (ONNX's OneHot would wrap negative ids around instead).
 */
export function oneHot(ids: GraphTensor, depth: number): GraphTensor {
  if (!Number.isInteger(depth) || depth < 1)
    throw new InputError(`oneHot: depth must be a positive integer, got ${depth}`);
  const index = asIds('oneHot', ids);
  const g = ids.graph;
  const range = g.constant(
    Int32Array.from({ length: depth }, (_, i) => i),
    [depth],
  );
  const shape = [...index.shape, depth];
  return raw.cast(raw.compare('Equal', raw.unsqueeze(index, -1), range, shape), 'float32');
}
