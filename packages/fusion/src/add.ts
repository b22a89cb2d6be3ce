import type { Fusion, NamedTensors } from '@kadapter/nn';
import * as tf from '@tensorflow/tfjs';
import { type AddFusionConfig, validateFusionConfig } from './config.js';
import { orderedOutputs } from './inputs.js';

/** `h_last + Σ a_n` (the official `add` mode): no parameters. */
export class AddFusion implements Fusion {
  readonly kind = 'add';
  constructor(readonly config: AddFusionConfig) {
    validateFusionConfig(config);
  }

  get adapters(): readonly string[] {
    return this.config.adapters;
  }

  apply(last: tf.Tensor3D, adapterOutputs: Readonly<Record<string, tf.Tensor3D>>): tf.Tensor3D {
    const outs = orderedOutputs(this.kind, this.adapters, last, adapterOutputs);
    return tf.tidy(() => tf.addN([last, ...outs]) as tf.Tensor3D);
  }

  weights(): NamedTensors {
    return new Map();
  }

  trainableVariables(): tf.Variable[] {
    return [];
  }

  namedVariables(): Map<string, tf.Variable> {
    return new Map();
  }

  dispose(): void {}
}
