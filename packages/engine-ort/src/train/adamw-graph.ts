import { ConfigError } from '@kadapter/core';
import type { Ops } from '@kadapter/nn';
import type { GraphTensor } from '../graph/graph.js';
import * as raw from '../ops/raw.js';

/** AdamW settings, as `@kadapter/train`'s AdamW takes them. */
export interface AdamWConfig {
  /** β1, β2 (0.9, 0.999) */
  betas?: [number, number];
  /** ε added to √v (1e-8) */
  eps?: number;
  /** decoupled weight decay (0) */
  weightDecay?: number;
  /** parameters exempt from weight decay, by name (default: the official rule, names with "bias" or "LayerNorm.weight") */
  noDecay?: (name: string) => boolean;
  /** Adam bias correction (on) */
  correctBias?: boolean;
}

/** The official no-decay rule (the same as `officialNoDecay` of `@kadapter/train`). */
const officialNoDecay = (name: string): boolean => name.includes('bias') || name.includes('LayerNorm.weight');

export type ResolvedAdamW = Required<AdamWConfig>;

export function resolveAdamW(c: AdamWConfig = {}): ResolvedAdamW {
  const r = {
    betas: c.betas ?? [0.9, 0.999],
    eps: c.eps ?? 1e-8,
    weightDecay: c.weightDecay ?? 0,
    noDecay: c.noDecay ?? officialNoDecay,
    correctBias: c.correctBias ?? true,
  } satisfies ResolvedAdamW;
  const [b1, b2] = r.betas;
  if (!(b1 >= 0 && b1 < 1 && b2 >= 0 && b2 < 1))
    throw new ConfigError(`betas must be in [0, 1), got [${b1}, ${b2}]`, { field: 'betas' });
  if (!(r.eps > 0)) throw new ConfigError(`eps must be > 0, got ${r.eps}`, { field: 'eps' });
  if (!(r.weightDecay >= 0))
    throw new ConfigError(`weightDecay must be >= 0, got ${r.weightDecay}`, { field: 'weightDecay' });
  return r;
}

/** The step size of update `t` (1-based) at learning rate `lr`, in float64 as the tfjs AdamW computes it. */
export function adamStepSize(c: ResolvedAdamW, lr: number, t: number): number {
  const [b1, b2] = c.betas;
  return c.correctBias ? (lr * Math.sqrt(1 - b2 ** t)) / (1 - b1 ** t) : lr;
}

export interface AdamSlot {
  param: GraphTensor;
  grad: GraphTensor;
  m: GraphTensor;
  v: GraphTensor;
  decay: boolean;
}

/**
 * One AdamW update, the operations of `@kadapter/train`'s AdamW in the same order:
 * m ← β1·m + (1-β1)·g; v ← β2·v + (1-β2)·g²; p ← p - stepSize·m/(√v + ε); then with decay
 * p ← p - (lr·wd)·p. `stepSize` and `lrDecay` (= lr·wd) are scalar graph inputs, so the schedule
 * changes them without a new graph.
 */
export function adamWUpdate(
  o: Ops<GraphTensor>,
  s: AdamSlot,
  c: ResolvedAdamW,
  stepSize: GraphTensor,
  lrDecay: GraphTensor,
): { param: GraphTensor; m: GraphTensor; v: GraphTensor } {
  const [b1, b2] = c.betas;
  const m = o.add(o.mul(s.m, b1), o.mul(s.grad, 1 - b1));
  const v = o.add(o.mul(s.v, b2), o.mul(o.mul(s.grad, s.grad), 1 - b2));
  const denom = o.add(o.sqrt(v), c.eps);
  let param = o.sub(s.param, o.mul(o.div(m, denom), stepSize));
  if (s.decay && c.weightDecay > 0) param = o.sub(param, o.mul(param, lrDecay));
  return { param, m, v };
}

/**
 * `torch.nn.utils.clip_grad_norm_` (L2): the norm of the per-tensor norms, and every gradient
 * scaled by min(1, maxNorm/(norm + 1e-6)).
 */
export function clipGradNorm(
  o: Ops<GraphTensor>,
  grads: readonly GraphTensor[],
  maxNorm: number,
): { grads: GraphTensor[]; norm: GraphTensor } {
  const first = grads[0];
  if (first === undefined) throw new ConfigError('gradient clipping needs at least one gradient');
  const squares = grads.map((g) => {
    const n = o.sqrt(o.sum(o.mul(g, g)));
    return o.mul(n, n);
  });
  const norm = o.sqrt(squares.reduce((a, b) => o.add(a, b)));
  const coef = raw.binary('Min', o.div(maxNorm, o.add(norm, 1e-6)), first.graph.scalar(1), []);
  return { grads: grads.map((g) => o.mul(g, coef)), norm };
}
