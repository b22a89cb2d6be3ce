import type * as tf from '@tensorflow/tfjs';
import type { LinearParams } from './linear.js';
import { TorchWeightWriter } from './weights.js';

/** A TorchWeightWriter that records the parameters themselves (no copy, no transpose) by name. */
export class VariableNamer extends TorchWeightWriter {
  readonly variables = new Map<string, tf.Variable>();

  override tensor(name: string, t: tf.Tensor): void {
    this.variables.set(name, t as tf.Variable);
  }

  override linear(prefix: string, p: LinearParams): void {
    this.tensor(`${prefix}weight`, p.weight);
    if (p.bias) this.tensor(`${prefix}bias`, p.bias);
  }
}
