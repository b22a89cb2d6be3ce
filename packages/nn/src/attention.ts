import * as tf from '@tensorflow/tfjs';
import { dropout } from './activations.js';
import { type LayerNormParams, layerNorm } from './layer-norm.js';
import { type LinearParams, linear } from './linear.js';

/** BERT self-attention block weights (`attention.self.*` + `attention.output.*`). */
export interface AttentionParams {
  query: LinearParams;
  key: LinearParams;
  value: LinearParams;
  output: LinearParams;
  outputLayerNorm: LayerNormParams;
}

export interface AttentionOptions {
  heads: number;
  layerNormEps: number;
  /** attention-probability and hidden dropout while training */
  dropout: number;
  training: boolean;
  /** additive mask [B, 1, 1, L]; undefined = attend everywhere */
  mask?: tf.Tensor4D;
  /** also return the attention probabilities [B, heads, L, L] */
  returnProbs?: boolean;
}

export interface AttentionResult {
  output: tf.Tensor3D;
  probs?: tf.Tensor4D;
}

/**
 * BERT post-LN self-attention (modeling_bert.py BertAttention):
 * LayerNorm(dropout(dense(softmax(q·kᵀ/√d + mask)·v)) + x).
 */
export function selfAttention(x: tf.Tensor3D, p: AttentionParams, o: AttentionOptions): AttentionResult {
  let probsOut: tf.Tensor4D | undefined;
  const output = tf.tidy(() => {
    const [b, l, h] = x.shape;
    if (h % o.heads !== 0) throw new RangeError(`hidden size ${h} is not divisible by ${o.heads} heads`);
    const d = h / o.heads;
    const split = (t: tf.Tensor3D) =>
      tf.reshape(tf.transpose(tf.reshape(t, [b, l, o.heads, d]), [0, 2, 1, 3]), [b * o.heads, l, d]) as tf.Tensor3D;
    const q = split(linear(x, p.query));
    const k = split(linear(x, p.key));
    const v = split(linear(x, p.value));
    let scores = tf.reshape(tf.mul(tf.matMul(q, k, false, true), 1 / Math.sqrt(d)), [b, o.heads, l, l]);
    if (o.mask) scores = tf.add(scores, o.mask);
    const probs = tf.softmax(scores, -1) as tf.Tensor4D;
    if (o.returnProbs) probsOut = tf.keep(probs);
    const attn = dropout(probs, o.dropout, o.training);
    const ctx = tf.matMul(tf.reshape(attn, [b * o.heads, l, l]) as tf.Tensor3D, v);
    const merged = tf.reshape(tf.transpose(tf.reshape(ctx, [b, o.heads, l, d]), [0, 2, 1, 3]), [
      b,
      l,
      h,
    ]) as tf.Tensor3D;
    const projected = dropout(linear(merged, p.output), o.dropout, o.training);
    return layerNorm(tf.add(projected, x) as tf.Tensor3D, p.outputLayerNorm, o.layerNormEps);
  });
  return probsOut ? { output, probs: probsOut } : { output };
}
