import type * as tf from '@tensorflow/tfjs';
import type { AdapterConfig } from '@kadapter/core';
import type { BackboneOutput } from './backbone.js';
import type { ForwardOptions } from './tensors.js';
import type { Trainable } from './trainable.js';

export interface AdapterStackOutput {
  /** output of the last adapter layer, [B, L, H] ("the adapter output") */
  output: tf.Tensor3D;
  /** output of every adapter layer, when `collectLayers` was set */
  layers?: tf.Tensor3D[];
}

export interface AdapterApplyOptions extends ForwardOptions {
  collectLayers?: boolean;
}

/** A K-Adapter adapter stack: reads backbone taps, returns the adapter output. */
export interface AdapterStack extends Trainable {
  readonly name: string;
  readonly config: AdapterConfig;
  apply(backbone: BackboneOutput, options?: AdapterApplyOptions): AdapterStackOutput;
}
