import * as tf from '@tensorflow/tfjs';
import { dropout, gelu } from './activations.js';
import { type AttentionOptions, type AttentionParams, selfAttention } from './attention.js';
import { type LayerNormParams, layerNorm } from './layer-norm.js';
import { type LinearParams, linear } from './linear.js';

/** One post-LN BERT encoder layer (modeling_bert.py BertLayer). */
export interface BertLayerParams {
  attention: AttentionParams;
  intermediate: LinearParams;
  output: LinearParams;
  outputLayerNorm: LayerNormParams;
}

export type BertLayerOptions = Omit<AttentionOptions, 'returnProbs'>;

/** x -> LayerNorm(dropout(W2·gelu(W1·a)) + a), a = selfAttention(x). */
export function bertLayer(x: tf.Tensor3D, p: BertLayerParams, o: BertLayerOptions): tf.Tensor3D {
  return tf.tidy(() => {
    const a = selfAttention(x, p.attention, o).output;
    const inner = gelu(linear(a, p.intermediate));
    const out = dropout(linear(inner, p.output), o.dropout, o.training);
    return layerNorm(tf.add(out, a) as tf.Tensor3D, p.outputLayerNorm, o.layerNormEps);
  });
}
