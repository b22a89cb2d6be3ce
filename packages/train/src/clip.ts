import * as tf from '@tensorflow/tfjs';

export interface ClipResult {
  /** gradients scaled by min(1, maxNorm / (totalNorm + 1e-6)) (new tensors) */
  grads: Map<string, tf.Tensor>;
  /** L2 norm of all gradients together, before clipping */
  totalNorm: number;
  /** the factor applied */
  coef: number;
}

/** L2 norm of all gradients together (the norm of the per-tensor norms, as torch computes it). */
export function globalNorm(grads: ReadonlyMap<string, tf.Tensor>): number {
  return tf.tidy(() => {
    const norms = [...grads.values()].map((g) => tf.norm(g));
    return norms.length === 0 ? 0 : (tf.norm(tf.stack(norms)).dataSync()[0] as number);
  });
}

/** `torch.nn.utils.clip_grad_norm_(params, maxNorm)` (L2). */
export function clipGradNorm(grads: ReadonlyMap<string, tf.Tensor>, maxNorm: number): ClipResult {
  const totalNorm = globalNorm(grads);
  const coef = Math.min(1, maxNorm / (totalNorm + 1e-6));
  const out = new Map<string, tf.Tensor>();
  for (const [name, g] of grads) out.set(name, tf.mul(g, coef));
  return { grads: out, totalNorm, coef };
}
