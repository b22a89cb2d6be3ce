import * as tf from '@tensorflow/tfjs';
import type { BackboneOutput } from './backbone.js';

/** Disposes every tensor of a backbone output (hidden states, last layer, mask). */
export function disposeBackboneOutput(out: BackboneOutput): void {
  tf.dispose([...out.hiddenStates.filter((h): h is tf.Tensor3D => h !== undefined), out.last, out.mask]);
}
