import { ShapeError } from '@kadapter/core';
import type { GraphTensor } from '../graph/graph.js';
import { attr } from '../onnx/model.js';
import { sameShape } from './shapes.js';

function swapLast(rank: number): number[] {
  const perm = Array.from({ length: rank }, (_, i) => i);
  [perm[rank - 2], perm[rank - 1]] = [rank - 1, rank - 2];
  return perm;
}

function transposed(x: GraphTensor, perm: readonly number[]): GraphTensor {
  return x.graph.emit1(
    'Transpose',
    [x],
    perm.map((p) => x.shape[p] as number),
    x.dtype,
    { perm: attr.ints(perm) },
  );
}

/**
 * [..., m, k] · [..., k, n] (b as [..., n, k] with `transposeB`), equal leading axes. The
 * transpose is a separate node that ONNX Runtime fuses into the matmul. Gradients:
 * dA = dY·Bᵀ, dB = Aᵀ·dY (with transposeB: dA = dY·B, dB = dYᵀ·A).
 */
export function matmul(a: GraphTensor, b: GraphTensor, transposeB: boolean): GraphTensor {
  const rank = a.shape.length;
  const [m, k] = a.shape.slice(-2) as [number, number];
  const [kb, n] = (transposeB ? [...b.shape.slice(-2)].reverse() : b.shape.slice(-2)) as [number, number];
  if (rank < 2 || b.shape.length !== rank || !sameShape(a.shape.slice(0, -2), b.shape.slice(0, -2)) || k !== kb) {
    throw new ShapeError(`matmul: [${a.shape}] · [${b.shape}]${transposeB ? 'ᵀ' : ''} do not match`);
  }
  const g = a.graph;
  const right = transposeB ? transposed(b, swapLast(rank)) : b;
  const y = g.emit1('MatMul', [a, right], [...a.shape.slice(0, -2), m, n], 'float32');
  g.record(y, [a, b], (dy, o) =>
    transposeB
      ? [o.matmul(dy, b), o.matmul(o.transpose(dy, swapLast(rank)), a)]
      : [o.matmul(dy, b, true), o.matmul(o.transpose(a, swapLast(rank)), dy)],
  );
  return y;
}

/**
 * x [..., in] · weight [in, out] + bias [out]. Gradients: dx = dy·Wᵀ, dW = x₂ᵀ·dy₂ and db = Σ dy₂
 * over the flattened rows (x₂ = x as [rows, in], dy₂ = dy as [rows, out]).
 */
export function linear(x: GraphTensor, w: GraphTensor, bias: GraphTensor | undefined): GraphTensor {
  const [inDim, outDim] = w.shape as [number, number];
  if (w.shape.length !== 2 || x.shape.length < 1 || x.shape[x.shape.length - 1] !== inDim) {
    throw new ShapeError(`linear: input [${x.shape}] does not match weight [${w.shape}] ([in, out])`);
  }
  if (bias !== undefined && !sameShape(bias.shape, [outDim])) {
    throw new ShapeError(`linear: bias [${bias.shape}] does not match weight [${w.shape}] ([in, out])`);
  }
  const g = x.graph;
  const shape = [...x.shape.slice(0, -1), outDim];
  const product = g.emit1('MatMul', [x, w], shape, 'float32');
  const y = bias === undefined ? product : g.emit1('Add', [product, bias], shape, 'float32');
  g.record(y, bias === undefined ? [x, w] : [x, w, bias], (dy, o) => {
    const x2 = o.reshape(x, [-1, inDim]);
    const dy2 = o.reshape(dy, [-1, outDim]);
    return [o.linear(dy, o.transpose(w, [1, 0])), o.matmul(o.transpose(x2, [1, 0]), dy2), o.sum(dy2, 0)];
  });
  return y;
}
