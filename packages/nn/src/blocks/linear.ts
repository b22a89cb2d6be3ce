import type { Ops } from '../ops/ops.js';
import type { LinearDef } from '../params/combinators.js';
import type { Params } from '../params/def.js';

/** Weights of a linear layer in memory layout: `weight` [in, out] (PyTorch stores [out, in]), `bias` [out]. */
export type LinearParams<T> = Params<LinearDef, T>;

/** PyTorch `nn.Linear` over the last axis: [..., in] -> [..., out]. */
export function linear<T>(o: Ops<T>, x: T, p: LinearParams<T>): T {
  return o.linear(x, p.weight, p.bias);
}
