import * as tf from '@tensorflow/tfjs';
import { describeBackends, expectClose } from '@kadapter/test-utils';
import { describe, expect, it } from 'vitest';
import { AdamW, clipGradNorm, learningRate, warmupLinear } from '../src/index.js';

/** AdamW of pytorch_transformers written out in float64 scalar math: the independent reference. */
function adamwReference(p0: number[], grads: number[][], lrs: number[], wd = 0, b1 = 0.9, b2 = 0.999, eps = 1e-8) {
  const p = [...p0];
  const m = p.map(() => 0);
  const v = p.map(() => 0);
  grads.forEach((g, k) => {
    const t = k + 1;
    const lr = lrs[k] as number;
    const step = (lr * Math.sqrt(1 - b2 ** t)) / (1 - b1 ** t);
    for (let i = 0; i < p.length; i++) {
      const gi = g[i] as number;
      m[i] = b1 * (m[i] as number) + (1 - b1) * gi;
      v[i] = b2 * (v[i] as number) + (1 - b2) * gi * gi;
      p[i] = (p[i] as number) - (step * (m[i] as number)) / (Math.sqrt(v[i] as number) + eps);
      p[i] = (p[i] as number) - lr * wd * (p[i] as number);
    }
  });
  return p;
}

describeBackends('AdamW', () => {
  it('matches the pytorch_transformers update over three steps, with and without weight decay', () => {
    const p0 = [0.5, -1.25, 2, 0.001];
    const grads = [
      [0.1, -0.2, 0.3, 0],
      [-0.05, 0.4, 0.3, 1e-9],
      [0.2, 0.2, -0.6, -0.3],
    ];
    const lrs = [1e-3, 5e-4, 2e-4];
    for (const wd of [0, 0.01]) {
      const w = tf.tidy(() => tf.variable(tf.tensor1d(p0)));
      const opt = new AdamW(new Map([['layer.weight', w]]), { weightDecay: wd });
      for (const [k, g] of grads.entries())
        tf.tidy(() => opt.step(new Map([['layer.weight', tf.tensor1d(g)]]), lrs[k] as number));
      expectClose(w, adamwReference(p0, grads, lrs, wd), `wd=${wd}`, { atol: 1e-7, rtol: 1e-6 });
      expect(opt.steps).toBe(3);
      opt.dispose();
      w.dispose();
    }
  });

  it('exempts biases and LayerNorm weights from weight decay, as the official groups', () => {
    const bias = tf.tidy(() => tf.variable(tf.tensor1d([1, 1])));
    const opt = new AdamW(new Map([['dense.bias', bias]]), { weightDecay: 0.5 });
    tf.tidy(() => opt.step(new Map([['dense.bias', tf.tensor1d([0.1, -0.1])]]), 0.1));
    expectClose(bias, adamwReference([1, 1], [[0.1, -0.1]], [0.1], 0), 'no decay', { atol: 1e-7 });
    opt.dispose();
    bias.dispose();
  });

  it('refuses a gradient for an unknown parameter', () => {
    const a = tf.tidy(() => tf.variable(tf.zeros([1])));
    const opt = new AdamW(new Map([['a', a]]));
    const b = tf.zeros([1]);
    expect(() => opt.step(new Map([['b', b]]), 0.1)).toThrow("gradient for 'b'");
    opt.dispose();
    tf.dispose([a, b]);
  });
});

describeBackends('clipGradNorm', () => {
  it('scales by maxNorm / (norm + 1e-6) when the norm is larger, as torch', () => {
    const grads = new Map<string, tf.Tensor>([
      ['a', tf.tensor1d([3, 0])],
      ['b', tf.tensor2d([[0, 4]])],
    ]);
    const r = clipGradNorm(grads, 1);
    expect(r.totalNorm).toBeCloseTo(5, 5);
    expect(r.coef).toBeCloseTo(1 / (5 + 1e-6), 9);
    expectClose(r.grads.get('a') as tf.Tensor, [3 / (5 + 1e-6), 0], 'a', { atol: 1e-7 });
    tf.dispose([...grads.values(), ...r.grads.values()]);
  });

  it('leaves small gradients unchanged', () => {
    const grads = new Map([['a', tf.tensor1d([0.3, 0.4])]]);
    const r = clipGradNorm(grads, 1);
    expect(r.coef).toBe(1);
    expectClose(r.grads.get('a') as tf.Tensor, [0.3, 0.4], 'a', { atol: 0 });
    tf.dispose([...grads.values(), ...r.grads.values()]);
  });
});

describe('warm-up linear schedule', () => {
  it('follows WarmupLinearSchedule.lr_lambda', () => {
    expect([0, 1, 2, 3, 6, 10, 11].map((s) => warmupLinear(s, 2, 10))).toEqual([0, 0.5, 1, 7 / 8, 4 / 8, 0, 0]);
  });

  it('uses the official call order: scheduler first in pre-training (first update at lr/warmup)', () => {
    const o = { baseLr: 5e-5, warmupSteps: 2, totalSteps: 10 };
    expect(learningRate(1, o)).toBeCloseTo(2.5e-5, 12);
    expect(learningRate(1, { ...o, schedulerFirst: false })).toBe(0);
  });
});
