import type { Ops } from '../ops/ops.js';
import { layerNorm as layerNormDef, linear as linearDef, prefixed, record } from '../params/combinators.js';
import type { Params } from '../params/def.js';
import { dropout } from './activations.js';
import { layerNorm } from './layer-norm.js';
import { linear } from './linear.js';
import type { ForwardOptions } from '../contracts/tensors.js';

/** BERT self-attention weights (`self.query/key/value`, `output.dense`, `output.LayerNorm`; modeling_bert.py BertAttention). */
export function attentionDef(hidden: number) {
  return record({
    query: prefixed('self.query', linearDef(hidden, hidden)),
    key: prefixed('self.key', linearDef(hidden, hidden)),
    value: prefixed('self.value', linearDef(hidden, hidden)),
    output: prefixed('output.dense', linearDef(hidden, hidden)),
    outputLayerNorm: prefixed('output.LayerNorm', layerNormDef(hidden)),
  });
}

export type AttentionParams<T> = Params<ReturnType<typeof attentionDef>, T>;

export interface AttentionOptions<T> extends ForwardOptions {
  heads: number;
  layerNormEps: number;
  /** attention-probability and hidden dropout rate while training */
  dropout: number;
  /** additive mask [B, 1, 1, L]; absent = attend everywhere */
  mask?: T;
}

export interface AttentionResult<T> {
  /** [B, L, H] */
  output: T;
  /** attention probabilities [B, heads, L, L], before dropout */
  probs: T;
}

/**
 * BERT post-LN self-attention (modeling_bert.py BertAttention):
 * LayerNorm(dropout(dense(softmax(q·kᵀ/√d + mask)·v)) + x).
 */
export function selfAttention<T>(o: Ops<T>, x: T, p: AttentionParams<T>, c: AttentionOptions<T>): AttentionResult<T> {
  const [b, l, h] = o.shape(x) as [number, number, number];
  if (h % c.heads !== 0) throw new RangeError(`hidden size ${h} is not divisible by ${c.heads} heads`);
  const d = h / c.heads;
  const split = (t: T) => o.reshape(o.transpose(o.reshape(t, [b, l, c.heads, d]), [0, 2, 1, 3]), [b * c.heads, l, d]);
  const q = split(linear(o, x, p.query));
  const k = split(linear(o, x, p.key));
  const v = split(linear(o, x, p.value));
  let scores = o.reshape(o.mul(o.matmul(q, k, true), 1 / Math.sqrt(d)), [b, c.heads, l, l]);
  if (c.mask !== undefined) scores = o.add(scores, c.mask);
  const probs = o.softmax(scores);
  const attn = dropout(o, probs, c.dropout, c);
  const ctx = o.matmul(o.reshape(attn, [b * c.heads, l, l]), v);
  const merged = o.reshape(o.transpose(o.reshape(ctx, [b, c.heads, l, d]), [0, 2, 1, 3]), [b, l, h]);
  const projected = dropout(o, linear(o, merged, p.output), c.dropout, c);
  return { output: layerNorm(o, o.add(projected, x), p.outputLayerNorm, c.layerNormEps), probs };
}
