import * as tf from '@tensorflow/tfjs';
import type { AdamW } from './adamw.js';
import { clipGradNorm, globalNorm } from './clip.js';

export interface TrainStepOptions {
  /** learning rate of this update (see `learningRate`) */
  lr: number;
  /** gradient-norm clipping (1.0 in the official scripts except CosmosQA); undefined = no clipping */
  maxGradNorm?: number;
}

export interface TrainStepResult {
  loss: number;
  /** L2 norm of all gradients before clipping */
  gradNorm: number;
}

/**
 * One optimisation step as the official loop does it: loss, backward, clip, update.
 * `params` names the trainable variables (the same names the optimizer was built with).
 */
export function trainStep(
  loss: () => tf.Scalar,
  params: ReadonlyMap<string, tf.Variable>,
  optimizer: AdamW,
  options: TrainStepOptions,
): TrainStepResult {
  const names = [...params.keys()];
  const { value, grads } = tf.variableGrads(loss, [...params.values()]);
  const byName = new Map<string, tf.Tensor>();
  const vars = [...params.values()];
  names.forEach((name, i) => {
    const g = grads[(vars[i] as tf.Variable).name];
    if (g) byName.set(name, g);
  });
  const clipped =
    options.maxGradNorm === undefined
      ? { grads: byName, totalNorm: globalNorm(byName) }
      : clipGradNorm(byName, options.maxGradNorm);
  optimizer.step(clipped.grads, options.lr);
  const result = { loss: value.dataSync()[0] as number, gradNorm: clipped.totalNorm };
  value.dispose();
  for (const g of Object.values(grads)) g.dispose();
  if (clipped.grads !== byName) for (const g of clipped.grads.values()) g.dispose();
  return result;
}
