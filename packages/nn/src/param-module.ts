import type * as tf from '@tensorflow/tfjs';
import type { NamedTensors } from './contracts/index.js';
import type { ParamSet } from './param-set.js';

/** Base of modules whose parameters are one ParamSet: weights, variables and disposal come from it. */
export abstract class ParamModule<P> {
  protected constructor(protected readonly set: ParamSet<P>) {}

  /** the parameters (tfjs layout) */
  protected get p(): P {
    return this.set.params;
  }

  /** PyTorch-named copies of the parameters (the caller disposes them). */
  weights(): NamedTensors {
    return this.set.weights();
  }

  trainableVariables(): tf.Variable[] {
    return this.set.trainableVariables();
  }

  /** The variables under their PyTorch names (tfjs layout: linear weights are [in, out]). */
  namedVariables(): Map<string, tf.Variable> {
    return this.set.namedVariables();
  }

  dispose(): void {
    this.set.dispose();
  }
}
