import type * as tf from '@tensorflow/tfjs';
import type { ForwardOptions } from './tensors.js';
import type { Trainable } from './trainable.js';

/**
 * A task head reads fused features at task-specific positions (`selectors`, e.g. marker indices)
 * and returns logits; `loss` and `predict` complete it.
 */
export interface Head<Selectors = unknown, Labels = tf.Tensor, Prediction = unknown> extends Trainable {
  /** "entity-typing", "relation-classification", ... */
  readonly kind: string;
  /** class labels in order, when the head is a classifier */
  readonly labels?: readonly string[];
  apply(features: tf.Tensor3D, selectors: Selectors, options?: ForwardOptions): tf.Tensor;
  loss(logits: tf.Tensor, labels: Labels): tf.Scalar;
  predict(logits: tf.Tensor): Prediction;
}
