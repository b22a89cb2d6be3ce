import type { Ops } from '../ops/ops.js';
import type { ForwardOptions } from '../contracts/tensors.js';

/** Exact GELU, x·0.5·(1 + erf(x/√2)), as BERT's "gelu". */
export function gelu<T>(o: Ops<T>, x: T): T {
  return o.mul(o.mul(x, 0.5), o.add(1, o.erf(o.mul(x, Math.SQRT1_2))));
}

/** Dropout while training (rate > 0), the identity otherwise; the mask seed comes from `options.random`. */
export function dropout<T>(o: Ops<T>, x: T, rate: number, options: ForwardOptions): T {
  if (!options.training || rate <= 0) return x;
  const seed = options.random === undefined ? undefined : Math.floor(options.random() * 2 ** 31);
  return o.dropout(x, rate, seed);
}

/** Additive attention mask [B, 1, 1, L] from a 0/1 mask [B, L]: (1 - mask) · -10000, as BERT. */
export function additiveMask<T>(o: Ops<T>, mask: T): T {
  const [b, l] = o.shape(mask) as [number, number];
  return o.reshape(o.mul(o.sub(1, o.cast(mask, 'float32')), -10000), [b, 1, 1, l]);
}
