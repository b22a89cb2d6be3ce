import type { GraphTensor } from '../graph/graph.js';
import { attr, type DType, elemType } from '../onnx/model.js';

/*
 * ONNX nodes outside the op vocabulary, used inside forward and backward rules. They are not on
 * the tape: no gradient flows through them (each rule that uses one states the gradient itself).
 */

export function cast(x: GraphTensor, dtype: DType): GraphTensor {
  return x.dtype === dtype ? x : x.graph.emit1('Cast', [x], x.shape, dtype, { to: attr.int(elemType(dtype)) });
}

/** `x` broadcast to `shape` (NumPy rules). */
export function expand(x: GraphTensor, shape: readonly number[]): GraphTensor {
  return x.graph.emit1('Expand', [x, x.graph.int64s(shape)], shape, x.dtype);
}

/** `x` with `axis` of size 1 inserted. */
export function unsqueeze(x: GraphTensor, axis: number): GraphTensor {
  const shape = [...x.shape];
  shape.splice(axis < 0 ? shape.length + 1 + axis : axis, 0, 1);
  return x.graph.emit1('Unsqueeze', [x, x.graph.int64s([axis])], shape, x.dtype);
}

/** A float32 tensor of zeros, allocated at run time (not stored in the model). */
export function zeros(x: GraphTensor, shape: readonly number[]): GraphTensor {
  const g = x.graph;
  const value = attr.tensor({ name: 'value', dtype: 'float32', shape: [1], data: new Float32Array([0]) });
  return g.emit1('ConstantOfShape', [g.int64s(shape)], shape, 'float32', { value });
}

/** Elementwise comparison or selection with NumPy broadcasting (shapes already checked by the caller). */
export function compare(
  op: 'Equal' | 'Greater',
  a: GraphTensor,
  b: GraphTensor,
  shape: readonly number[],
): GraphTensor {
  return a.graph.emit1(op, [a, b], shape, 'bool');
}

export function unary(op: string, x: GraphTensor): GraphTensor {
  return x.graph.emit1(op, [x], x.shape, x.dtype);
}

export function binary(op: string, a: GraphTensor, b: GraphTensor, shape: readonly number[]): GraphTensor {
  return a.graph.emit1(op, [a, b], shape, a.dtype);
}

/** 1.0 where `x` > 0, else 0.0 (float32). */
export function positive(x: GraphTensor): GraphTensor {
  return cast(compare('Greater', x, x.graph.scalar(0), x.shape), 'float32');
}

/** `x` padded with zeros: `before[i]` and `after[i]` elements on axis i. */
export function padZeros(x: GraphTensor, before: readonly number[], after: readonly number[]): GraphTensor {
  const shape = x.shape.map((d, i) => d + (before[i] as number) + (after[i] as number));
  return x.graph.emit1('Pad', [x, x.graph.int64s([...before, ...after])], shape, x.dtype);
}

/** [rows, D] zeros with the rows of `updates` [...ids, D] added at int32 `ids` (repeated ids sum). */
export function scatterAddRows(ids: GraphTensor, updates: GraphTensor, shape: readonly [number, number]): GraphTensor {
  const index = unsqueeze(cast(ids, 'int64'), -1);
  return ids.graph.emit1('ScatterND', [zeros(updates, shape), index, updates], shape, 'float32', {
    reduction: attr.string('add'),
  });
}
