import type { Ops } from '@kadapter/nn';
import type { GraphTensor } from '../graph/graph.js';
import { dropout } from './dropout.js';
import { binary, unary } from './elementwise.js';
import { gather, oneHot } from './indexing.js';
import { cast, concat, reshape, slice, transpose } from './layout.js';
import { linear, matmul } from './matmul.js';
import { layerNorm, logSoftmax, softmax } from './normalization.js';
import { reduce } from './reduce.js';

/**
 * The op vocabulary traced into ONNX graphs: every call appends nodes to the graph of its tensor
 * operands and records the op's gradient rule. Stateless (the graph travels with the tensors), so
 * one object serves every graph. Memory is ONNX Runtime's: `scope` just calls `fn` and `dispose`
 * does nothing.
 */
export const graphOps: Ops<GraphTensor> = {
  engine: 'ort',
  shape: (x) => [...x.shape],

  add: (a, b) => binary('add', a, b),
  sub: (a, b) => binary('sub', a, b),
  mul: (a, b) => binary('mul', a, b),
  div: (a, b) => binary('div', a, b),
  neg: (x) => unary('neg', x),
  exp: (x) => unary('exp', x),
  log: (x) => unary('log', x),
  log1p: (x) => unary('log1p', x),
  sqrt: (x) => unary('sqrt', x),
  abs: (x) => unary('abs', x),
  erf: (x) => unary('erf', x),
  tanh: (x) => unary('tanh', x),
  relu: (x) => unary('relu', x),

  sum: (x, axes, keepDims = false) => reduce('sum', x, axes, keepDims),
  mean: (x, axes, keepDims = false) => reduce('mean', x, axes, keepDims),

  matmul: (a, b, transposeB = false) => matmul(a, b, transposeB),
  linear: (x, weight, bias) => linear(x, weight, bias),
  softmax,
  logSoftmax,
  layerNorm,
  gather,
  oneHot,
  dropout,

  cast,
  reshape,
  transpose,
  concat,
  slice,

  scope: <R>(fn: () => R): R => fn(),
  dispose: () => {},
};
