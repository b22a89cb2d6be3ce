import type * as tf from '@tensorflow/tfjs';

/** A named set of tensors (weights of a module, or a file's contents). Names use PyTorch conventions. */
export type NamedTensors = Map<string, tf.Tensor>;

/** What every forward takes besides its inputs: training mode and where dropout masks come from. */
export interface ForwardOptions {
  /** training mode: dropout on */
  training?: boolean;
  /**
   * Uniform numbers in [0, 1) from which dropout masks are seeded, one draw per dropout call: a
   * seeded stream makes training reproducible. Unseeded masks when absent.
   */
  random?: () => number;
}
