import type * as tf from '@tensorflow/tfjs';
import type { NamedTensors } from './tensors.js';

/**
 * What every module with parameters offers a trainer: frozen (plain tensors, no gradients) until
 * `unfreeze()`, its variables under their PyTorch names, and its weights in file layout.
 */
export interface Trainable {
  /** false while frozen */
  readonly trainable: boolean;
  /** makes the parameters trainable tf.Variables (irreversible) */
  unfreeze(): void;
  /** the variables under their PyTorch names (tfjs layout: linear weights [in, out]); empty while frozen */
  namedVariables(): Map<string, tf.Variable>;
  trainableVariables(): tf.Variable[];
  /** PyTorch-named copies in file layout (the caller disposes them) */
  weights(): NamedTensors;
  dispose(): void;
}
