import type * as tf from '@tensorflow/tfjs';
import type { BackboneInfo, HostTensor } from '@kadapter/core';
import type { ForwardOptions } from './tensors.js';
import type { Trainable } from './trainable.js';

/**
 * How RoBERTa position ids are numbered.
 * - `legacy` (default): `padding_idx + 1 .. padding_idx + L` on every row, pads included, as the
 *   pytorch_transformers 1.2 code vendored by K-Adapter does (what the official checkpoints saw).
 * - `hf`: the modern Hugging Face rule: real tokens are numbered from `padding_idx + 1` by their
 *   rank among non-pad tokens, and pad tokens get `padding_idx`.
 * BERT always numbers positions `0 .. L-1`.
 */
export type PositionIdMode = 'legacy' | 'hf';

export interface BackboneInput {
  /** int32 [B, L] */
  inputIds: tf.Tensor2D;
  /** int32 or float32 [B, L], 1 = real token, 0 = padding */
  attentionMask: tf.Tensor2D;
  /** int32 [B, L] segment ids (BERT sentence pairs); default all 0 (RoBERTa has one type) */
  tokenTypeIds?: tf.Tensor2D;
}

/** Token ids and attention masks of many sequences on the host, row-major [N, L] (e.g. encoded feature columns). */
export interface SequenceData {
  inputIds: HostTensor;
  attentionMask: HostTensor;
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

export interface Backbone extends Omit<Trainable, 'trainable'> {
  readonly info: BackboneInfo;
  /** the RoBERTa position numbering it uses (part of what its outputs depend on) */
  readonly positionIdMode: PositionIdMode;
  /**
   * True until `unfreeze()`: the weights are plain tensors, dropout never runs, and the outputs of
   * an input never change (so they can be cached).
   */
  readonly frozen: boolean;
  encode(input: BackboneInput, options?: EncodeOptions): BackboneOutput;
  /**
   * Checks a whole dataset before any work: ids inside the vocabulary, 0/1 masks, a length the
   * positions allow. Errors name `file` (when given), the field and the [row, column].
   */
  validateInput(data: SequenceData, file?: string): void;
}
