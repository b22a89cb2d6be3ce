import { InputError } from '@kadapter/core';
import type { Operand, Ops } from '@kadapter/nn';
import type { GraphTensor } from '../graph/graph.js';
import * as raw from './raw.js';
import { broadcastAxes, broadcastShapes, sameShape } from './shapes.js';

export type BinaryOp = 'add' | 'sub' | 'mul' | 'div';

const ONNX_BINARY: Record<BinaryOp, string> = { add: 'Add', sub: 'Sub', mul: 'Mul', div: 'Div' };

/** The gradient `dy` of a broadcast result summed back to the operand's `shape`. */
export function unbroadcast(o: Ops<GraphTensor>, dy: GraphTensor, shape: readonly number[]): GraphTensor {
  if (sameShape(dy.shape, shape)) return dy;
  const axes = broadcastAxes(shape, dy.shape);
  return o.reshape(axes.length === 0 ? dy : o.sum(dy, axes, true), shape);
}

/**
 * add/sub/mul/div with NumPy broadcasting. A number is a float32 scalar; an int32 operand meeting
 * a float32 one is cast to float32 first (tfjs upcasts the same way). The gradient rules are
 * tfjs' (same operations in the same order), each summed back over the broadcast axes.
 */
export function binary(op: BinaryOp, a: Operand<GraphTensor>, b: Operand<GraphTensor>): GraphTensor {
  const anchor = typeof a === 'number' ? b : a;
  if (typeof anchor === 'number') throw new InputError(`${op}: at least one operand must be a tensor`);
  const g = anchor.graph;
  let ta = typeof a === 'number' ? g.scalar(a) : a;
  let tb = typeof b === 'number' ? g.scalar(b) : b;
  const dtype = ta.dtype === 'float32' || tb.dtype === 'float32' ? 'float32' : ta.dtype;
  ta = raw.cast(ta, dtype);
  tb = raw.cast(tb, dtype);
  const y = raw.binary(ONNX_BINARY[op], ta, tb, broadcastShapes(op, ta.shape, tb.shape));
  if (dtype !== 'float32') return y;
  const [x1, x2] = [ta, tb];
  g.record(y, [x1, x2], (dy, o) => {
    switch (op) {
      case 'add':
        return [unbroadcast(o, dy, x1.shape), unbroadcast(o, dy, x2.shape)];
      case 'sub':
        return [unbroadcast(o, dy, x1.shape), unbroadcast(o, o.neg(dy), x2.shape)];
      case 'mul':
        return [unbroadcast(o, o.mul(dy, x2), x1.shape), unbroadcast(o, o.mul(dy, x1), x2.shape)];
      case 'div':
        return [
          unbroadcast(o, o.div(dy, x2), x1.shape),
          unbroadcast(o, o.neg(o.div(o.mul(dy, x1), o.mul(x2, x2))), x2.shape),
        ];
    }
  });
  return y;
}

export type UnaryOp = 'neg' | 'exp' | 'log' | 'log1p' | 'sqrt' | 'abs' | 'erf' | 'tanh' | 'relu';

const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);

/** Gradient of each unary op from dy, its input x and its output y (tfjs' formulas). */
const UNARY_GRADS: Record<
  UnaryOp,
  (o: Ops<GraphTensor>, dy: GraphTensor, x: GraphTensor, y: GraphTensor) => GraphTensor
> = {
  neg: (o, dy) => o.neg(dy),
  exp: (o, dy, _x, y) => o.mul(dy, y),
  log: (o, dy, x) => o.div(dy, x),
  log1p: (o, dy, x) => o.div(dy, o.add(x, 1)),
  sqrt: (o, dy, _x, y) => o.div(dy, o.mul(y, 2)),
  abs: (o, dy, x) => o.mul(dy, raw.unary('Sign', x)),
  erf: (o, dy, x) => o.mul(dy, o.mul(o.exp(o.neg(o.mul(x, x))), TWO_OVER_SQRT_PI)),
  tanh: (o, dy, _x, y) => o.mul(o.sub(1, o.mul(y, y)), dy),
  relu: (o, dy, x) => o.mul(dy, raw.positive(x)),
};

const ONNX_UNARY: Record<Exclude<UnaryOp, 'log1p'>, string> = {
  neg: 'Neg',
  exp: 'Exp',
  log: 'Log',
  sqrt: 'Sqrt',
  abs: 'Abs',
  erf: 'Erf',
  tanh: 'Tanh',
  relu: 'Relu',
};

/*
 * ONNX has no Log1p, and log(1 + x) loses the low bits of a small x. Goldberg's form
 * x·log(u)/(u - 1) with u = 1 + x (x itself where u rounds to 1) is accurate to a few ulps.
 */
function log1p(x: GraphTensor): GraphTensor {
  const g = x.graph;
  const u = raw.binary('Add', x, g.scalar(1), x.shape);
  const d = raw.binary('Sub', u, g.scalar(1), x.shape);
  const ratio = raw.binary('Mul', x, raw.binary('Div', raw.unary('Log', u), d, x.shape), x.shape);
  const small = raw.compare('Equal', d, g.scalar(0), x.shape);
  return g.emit1('Where', [small, x, ratio], x.shape, 'float32');
}

export function unary(op: UnaryOp, x: GraphTensor): GraphTensor {
  if (x.dtype !== 'float32') throw new InputError(`${op}: needs a float32 tensor, got ${x.dtype}`);
  const y = op === 'log1p' ? log1p(x) : raw.unary(ONNX_UNARY[op], x);
  x.graph.record(y, [x], (dy, o) => [UNARY_GRADS[op](o, dy, x, y)]);
  return y;
}
