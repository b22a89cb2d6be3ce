import type * as tf from '@tensorflow/tfjs';
import type { ForwardOptions } from './tensors.js';

/** Combines the backbone's last layer with the outputs of one or more adapters. */
export interface Fusion {
  /** "concat", "add", "attention", or a third party's name */
  readonly kind: string;
  /** adapter names this fusion was built for, in order */
  readonly adapters: readonly string[];
  apply(
    last: tf.Tensor3D,
    adapterOutputs: Readonly<Record<string, tf.Tensor3D>>,
    options?: ForwardOptions,
  ): tf.Tensor3D;
  trainableVariables(): tf.Variable[];
  dispose(): void;
}
