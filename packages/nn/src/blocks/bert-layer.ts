import type { Ops } from '../ops/ops.js';
import { layerNorm as layerNormDef, linear as linearDef, prefixed, record } from '../params/combinators.js';
import type { Params } from '../params/def.js';
import { dropout, gelu } from './activations.js';
import { type AttentionOptions, attentionDef, selfAttention } from './attention.js';
import { layerNorm } from './layer-norm.js';
import { linear } from './linear.js';

/** One post-LN BERT encoder layer (modeling_bert.py BertLayer): PyTorch default init. */
export function bertLayerDef(hidden: number, intermediate: number) {
  return record({
    attention: attentionDef(hidden),
    intermediate: prefixed('intermediate.dense', linearDef(hidden, intermediate)),
    output: prefixed('output.dense', linearDef(intermediate, hidden)),
    outputLayerNorm: prefixed('output.LayerNorm', layerNormDef(hidden)),
  });
}

export type BertLayerParams<T> = Params<ReturnType<typeof bertLayerDef>, T>;

export type BertLayerOptions<T> = AttentionOptions<T>;

/** x -> LayerNorm(dropout(W2·gelu(W1·a)) + a), a = selfAttention(x). */
export function bertLayer<T>(o: Ops<T>, x: T, p: BertLayerParams<T>, c: BertLayerOptions<T>): T {
  const a = selfAttention(o, x, p.attention, c).output;
  const inner = gelu(o, linear(o, a, p.intermediate));
  const out = dropout(o, linear(o, inner, p.output), c.dropout, c);
  return layerNorm(o, o.add(out, a), p.outputLayerNorm, c.layerNormEps);
}
