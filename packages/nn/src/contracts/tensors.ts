import type * as tf from '@tensorflow/tfjs';

/** A named set of tensors (weights of a module, or a file's contents). Names use PyTorch conventions. */
export type NamedTensors = Map<string, tf.Tensor>;

/** Whether a forward pass runs in training mode (dropout on) or inference mode. */
export interface ForwardOptions {
  training?: boolean;
}
