import type * as tf from '@tensorflow/tfjs';
import type { ForwardOptions } from './tensors.js';
import type { Trainable } from './trainable.js';

/** Combines the backbone's last layer with the outputs of one or more adapters. */
export interface Fusion extends Trainable {
  /** "concat", "add", "attention", or a third party's name */
  readonly kind: string;
  /** adapter names this fusion was built for, in order */
  readonly adapters: readonly string[];
  apply(
    last: tf.Tensor3D,
    adapterOutputs: Readonly<Record<string, tf.Tensor3D>>,
    options?: ForwardOptions,
  ): tf.Tensor3D;
}
