import type * as tf from '@tensorflow/tfjs';
import type { BackboneInfo } from '@kadapter/core';
import type { ForwardOptions } from './tensors.js';

export interface BackboneInput {
  /** int32 [B, L] */
  inputIds: tf.Tensor2D;
  /** int32 or float32 [B, L], 1 = real token, 0 = padding */
  attentionMask: tf.Tensor2D;
  /** int32 [B, L] segment ids (BERT sentence pairs); default all 0 (RoBERTa has one type) */
  tokenTypeIds?: tf.Tensor2D;
}

export interface EncodeOptions extends ForwardOptions {
  /**
   * Hidden-state indices the caller will read (0 = embedding output). Others are disposed as soon
   * as the next layer no longer needs them. The last layer is always returned.
   */
  taps?: readonly number[];
}

/**
 * Output of a backbone forward. `hiddenStates[k]` is the embedding output for k = 0 and the output
 * of layer k otherwise; entries that were not requested as taps are `undefined`.
 */
export interface BackboneOutput {
  hiddenStates: Array<tf.Tensor3D | undefined>;
  /** output of the last layer, [B, L, H] */
  last: tf.Tensor3D;
  /** the attention mask, float32 [B, L] */
  mask: tf.Tensor2D;
}

export interface Backbone {
  readonly info: BackboneInfo;
  encode(input: BackboneInput, options?: EncodeOptions): BackboneOutput;
  /** trainable variables; empty unless the backbone was explicitly unfrozen */
  trainableVariables(): tf.Variable[];
  dispose(): void;
}
