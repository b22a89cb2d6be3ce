import { InputError, ShapeError } from '@kadapter/core';
import type { GraphTensor } from '../graph/graph.js';
import { attr } from '../onnx/model.js';
import { sameShape } from './shapes.js';

function lastAxisInput(op: string, x: GraphTensor): void {
  if (x.dtype !== 'float32' || x.shape.length === 0) {
    throw new InputError(`${op}: needs a float32 tensor of rank >= 1, got ${x.dtype} [${x.shape}]`);
  }
}

/** Softmax over the last axis; dx = dy·y - Σ(dy·y)·y (tfjs' rule). */
export function softmax(x: GraphTensor): GraphTensor {
  lastAxisInput('softmax', x);
  const y = x.graph.emit1('Softmax', [x], x.shape, 'float32', { axis: attr.int(-1) });
  x.graph.record(y, [x], (dy, o) => {
    const dyTimesY = o.mul(dy, y);
    return [o.sub(dyTimesY, o.mul(o.sum(dyTimesY, -1, true), y))];
  });
  return y;
}

/** Log-softmax over the last axis; dx = dy - Σdy·exp(y) (tfjs' rule). */
export function logSoftmax(x: GraphTensor): GraphTensor {
  lastAxisInput('logSoftmax', x);
  const y = x.graph.emit1('LogSoftmax', [x], x.shape, 'float32', { axis: attr.int(-1) });
  x.graph.record(y, [x], (dy, o) => [o.sub(dy, o.mul(o.sum(dy, -1, true), o.exp(y)))]);
  return y;
}

/**
 * torch.nn.LayerNorm over the last axis as one LayerNormalization node, whose mean and 1/σ outputs
 * the backward reuses: with x̂ = (x - μ)/σ and g = dy·w,
 * dx = (g - mean(g) - x̂·mean(g·x̂))/σ, dw = Σ dy·x̂, db = Σ dy (sums over all but the last axis).
 */
export function layerNorm(x: GraphTensor, w: GraphTensor, b: GraphTensor, eps: number): GraphTensor {
  lastAxisInput('layerNorm', x);
  const dim = x.shape[x.shape.length - 1] as number;
  if (!sameShape(w.shape, [dim]) || !sameShape(b.shape, [dim])) {
    throw new ShapeError(
      `layerNorm: weight [${w.shape}] and bias [${b.shape}] must be [${dim}] for input [${x.shape}]`,
    );
  }
  const g = x.graph;
  const statShape = [...x.shape.slice(0, -1), 1];
  const [y, mean, invStd] = g.emit(
    'LayerNormalization',
    [x, w, b],
    [
      { shape: x.shape, dtype: 'float32' },
      { shape: statShape, dtype: 'float32' },
      { shape: statShape, dtype: 'float32' },
    ],
    { axis: attr.int(-1), epsilon: attr.float(eps) },
  ) as [GraphTensor, GraphTensor, GraphTensor];
  g.record(y, [x, w, b], (dy, o) => {
    const lead = x.shape.slice(0, -1).map((_, i) => i);
    const xHat = o.mul(o.sub(x, mean), invStd);
    const gw = o.mul(dy, w);
    const dx = o.mul(o.sub(o.sub(gw, o.mean(gw, -1, true)), o.mul(xHat, o.mean(o.mul(gw, xHat), -1, true))), invStd);
    return [dx, o.sum(o.mul(dy, xHat), lead), o.sum(dy, lead)];
  });
  return y;
}
