import { InputError } from '@kadapter/core';
import type { GraphTensor } from '../graph/graph.js';
import { attr } from '../onnx/model.js';
import * as raw from './raw.js';
import { normalizeAxes, reducedShape, sizeOf } from './shapes.js';

/**
 * sum/mean over `axes` (default all). The gradient is dy broadcast back over the reduced axes
 * (divided by the count for the mean, as tfjs does).
 */
export function reduce(
  op: 'sum' | 'mean',
  x: GraphTensor,
  axes: number | readonly number[] | undefined,
  keepDims: boolean,
): GraphTensor {
  if (x.dtype !== 'float32') throw new InputError(`${op}: needs a float32 tensor, got ${x.dtype}`);
  const list = normalizeAxes(op, axes, x.shape.length);
  if (list.length === 0) return x;
  const g = x.graph;
  const shape = reducedShape(x.shape, list, keepDims);
  const keep = attr.int(keepDims ? 1 : 0);
  // opset 17: ReduceSum reads its axes from an input, ReduceMean from an attribute
  const y =
    op === 'sum'
      ? g.emit1('ReduceSum', [x, g.int64s(list)], shape, 'float32', { keepdims: keep })
      : g.emit1('ReduceMean', [x], shape, 'float32', { axes: attr.ints(list), keepdims: keep });
  const count = sizeOf(list.map((a) => x.shape[a] as number));
  g.record(y, [x], (dy, o) => {
    const spread = raw.expand(o.reshape(dy, reducedShape(x.shape, list, true)), x.shape);
    return [op === 'sum' ? spread : o.div(spread, count)];
  });
  return y;
}
