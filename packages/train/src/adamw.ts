import { ConfigError, InputError } from '@kadapter/core';
import * as tf from '@tensorflow/tfjs';

export interface AdamWOptions {
  /** β1, β2 (0.9, 0.999) */
  betas?: [number, number];
  /** ε added to √v (1e-8; CosmosQA's script uses 1e-6) */
  eps?: number;
  /** decoupled weight decay (0 in every official script) */
  weightDecay?: number;
  /** parameters exempt from weight decay, by name (official: names containing "bias" or "LayerNorm.weight") */
  noDecay?: (name: string) => boolean;
  /** Adam bias correction (on in every official script) */
  correctBias?: boolean;
}

/** The official no-decay rule: biases and LayerNorm weights. */
export const officialNoDecay = (name: string): boolean => name.includes('bias') || name.includes('LayerNorm.weight');

interface Slot {
  name: string;
  variable: tf.Variable;
  m: tf.Variable;
  v: tf.Variable;
  decay: number;
}

/**
 * AdamW as the official code's vendored `pytorch_transformers.AdamW` computes it:
 * m ← β1·m + (1-β1)·g; v ← β2·v + (1-β2)·g²; p ← p - lr·√(1-β2^t)/(1-β1^t) · m/(√v + ε);
 * then, with weight decay, p ← p - lr·wd·p (decoupled, applied after the Adam update).
 */
export class AdamW {
  private readonly slots: Slot[];
  private readonly betas: [number, number];
  private readonly eps: number;
  private readonly correctBias: boolean;
  private t = 0;

  constructor(params: ReadonlyMap<string, tf.Variable>, options: AdamWOptions = {}) {
    this.betas = options.betas ?? [0.9, 0.999];
    this.eps = options.eps ?? 1e-8;
    this.correctBias = options.correctBias ?? true;
    const wd = options.weightDecay ?? 0;
    const [b1, b2] = this.betas;
    if (!(b1 >= 0 && b1 < 1 && b2 >= 0 && b2 < 1))
      throw new ConfigError(`betas must be in [0, 1), got [${b1}, ${b2}]`, { field: 'betas' });
    if (!(this.eps > 0)) throw new ConfigError(`eps must be > 0, got ${this.eps}`, { field: 'eps' });
    if (!(wd >= 0)) throw new ConfigError(`weightDecay must be >= 0, got ${wd}`, { field: 'weightDecay' });
    const noDecay = options.noDecay ?? officialNoDecay;
    // in a tidy, so the zeros the moments start from are released (a variable keeps its own reference)
    const zeros = (v: tf.Variable) => tf.tidy(() => tf.variable(tf.zerosLike(v), false));
    this.slots = [...params].map(([name, variable]) => ({
      name,
      variable,
      m: zeros(variable),
      v: zeros(variable),
      decay: noDecay(name) ? 0 : wd,
    }));
  }

  /** Number of updates applied so far. */
  get steps(): number {
    return this.t;
  }

  /**
   * Applies one update with learning rate `lr`. `grads` maps parameter names to gradients;
   * a parameter without a gradient is left untouched, as torch does for `grad is None`.
   */
  step(grads: ReadonlyMap<string, tf.Tensor>, lr: number): void {
    for (const name of grads.keys()) {
      if (!this.slots.some((s) => s.name === name)) {
        throw new InputError(`gradient for '${name}', which is not a parameter of this optimizer`, { tensor: name });
      }
    }
    this.t += 1;
    const [b1, b2] = this.betas;
    const stepSize = this.correctBias ? (lr * Math.sqrt(1 - b2 ** this.t)) / (1 - b1 ** this.t) : lr;
    for (const s of this.slots) {
      const g = grads.get(s.name);
      if (!g) continue;
      tf.tidy(() => {
        s.m.assign(tf.add(tf.mul(s.m, b1), tf.mul(g, 1 - b1)));
        s.v.assign(tf.add(tf.mul(s.v, b2), tf.mul(tf.mul(g, g), 1 - b2)));
        const denom = tf.add(tf.sqrt(s.v), this.eps);
        let p = tf.sub(s.variable, tf.mul(tf.div(s.m, denom), stepSize));
        if (s.decay > 0) p = tf.sub(p, tf.mul(p, lr * s.decay));
        s.variable.assign(p);
      });
    }
  }

  /** The moments by parameter name (`m/<name>`, `v/<name>`, copies the caller disposes) and the update count. */
  state(): { step: number; moments: Map<string, tf.Tensor> } {
    const moments = new Map<string, tf.Tensor>();
    for (const s of this.slots) {
      moments.set(`m/${s.name}`, tf.clone(s.m));
      moments.set(`v/${s.name}`, tf.clone(s.v));
    }
    return { step: this.t, moments };
  }

  /**
   * Continues from a saved state: every parameter's moments must be there with its shape (an
   * InputError names what is missing or misshaped); `moments` is not disposed.
   */
  restore(state: { step: number; moments: ReadonlyMap<string, tf.Tensor> }, source: string): void {
    for (const s of this.slots) {
      for (const [key, slot] of [[`m/${s.name}`, s.m] as const, [`v/${s.name}`, s.v] as const]) {
        const t = state.moments.get(key);
        if (!t || t.shape.join() !== slot.shape.join()) {
          throw new InputError(
            t
              ? `optimizer moment '${key}' is [${t.shape}], the parameter is [${slot.shape}]`
              : `optimizer moment '${key}' is missing`,
            { file: source, tensor: key },
          );
        }
        slot.assign(t);
      }
    }
    this.t = state.step;
  }

  dispose(): void {
    for (const s of this.slots) {
      s.m.dispose();
      s.v.dispose();
    }
  }
}
