import type { Ops } from '../ops/ops.js';
import type { LayerNormDef } from '../params/combinators.js';
import type { Params } from '../params/def.js';

export type LayerNormParams<T> = Params<LayerNormDef, T>;

/** torch.nn.LayerNorm over the last axis (biased variance). */
export function layerNorm<T>(o: Ops<T>, x: T, p: LayerNormParams<T>, eps: number): T {
  return o.layerNorm(x, p.weight, p.bias, eps);
}
