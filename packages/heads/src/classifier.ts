import { dropout, linear, type LinearParams, linearsDef, type ParamDef } from '@kadapter/nn';
import * as tf from '@tensorflow/tfjs';
import { rowsAt } from './select.js';

export type ClassifierParams = Record<'dense' | 'out_proj', LinearParams>;

/** `dense` Linear(in→H), `out_proj` Linear(H→C), official names. */
export function classifierDef(inDim: number, hidden: number, classes: number): ParamDef<ClassifierParams> {
  return linearsDef({ dense: [inDim, hidden], out_proj: [hidden, classes] });
}

/** The official heads' `out_proj(dropout(dense(x)))`, with no nonlinearity (kadapter-spec.md §8.7). */
export function classify(x: tf.Tensor, p: ClassifierParams, rate: number, training: boolean): tf.Tensor2D {
  return tf.tidy(() => linear(dropout(linear(x, p.dense), rate, training), p.out_proj) as tf.Tensor2D);
}

/** `cat[features[b, subj[b]], features[b, obj[b]]]`: the relation representation, [B, 2H]. */
export function pairRows(features: tf.Tensor3D, subj: tf.Tensor1D, obj: tf.Tensor1D): tf.Tensor2D {
  return tf.tidy(() => tf.concat([rowsAt(features, subj), rowsAt(features, obj)], -1) as tf.Tensor2D);
}

/** Index of the largest logit of each row. */
export function argmaxRows(logits: tf.Tensor): number[] {
  return tf.tidy(() => Array.from(tf.argMax(logits, -1).dataSync()));
}
