import type * as tf from '@tensorflow/tfjs';
import type { NamedTensors } from '../contracts/index.js';
import type { Def, Params } from './def.js';
import type { ParamSet } from './param-set.js';

/**
 * Base of every module whose parameters are one ParamSet (backbone, adapter stack, fusions, heads):
 * weights, variables, freezing and disposal come from it.
 */
export abstract class ParamModule<D extends Def> {
  protected constructor(protected readonly set: ParamSet<D>) {}

  /** the parameter tree (tfjs layout) */
  protected get p(): Params<D, tf.Tensor> {
    return this.set.params;
  }

  /** false until the module is unfrozen (frozen modules hold plain tensors, no variables) */
  get trainable(): boolean {
    return this.set.trainable;
  }

  /** Makes the parameters trainable tf.Variables (irreversible). */
  unfreeze(): void {
    this.set.unfreeze();
  }

  /** PyTorch-named copies of the parameters in file layout (the caller disposes them). */
  weights(): NamedTensors {
    return this.set.weights();
  }

  /** The variables under their PyTorch names (tfjs layout: linear weights are [in, out]); empty when frozen. */
  namedVariables(): Map<string, tf.Variable> {
    return this.set.namedVariables();
  }

  trainableVariables(): tf.Variable[] {
    return this.set.trainableVariables();
  }

  /** Number of scalar parameters. */
  get parameterCount(): number {
    return this.set.size;
  }

  dispose(): void {
    this.set.dispose();
  }
}
