import * as tf from '@tensorflow/tfjs';
import { describeBackends } from '@kadapter/test-utils';
import { describe, expect, it } from 'vitest';
import { epochBatches, fit } from '../src/index.js';

describe('epochBatches', () => {
  it('covers every index once, in batches of the given size', () => {
    const b = epochBatches(10, 4, 7);
    expect(b.map((x) => x.length)).toEqual([4, 4, 2]);
    expect(b.flat().sort((x, y) => x - y)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('is reproducible for a seed, different across seeds, in order without one', () => {
    expect(epochBatches(20, 5, 'a')).toEqual(epochBatches(20, 5, 'a'));
    expect(epochBatches(20, 5, 'a')).not.toEqual(epochBatches(20, 5, 'b'));
    expect(epochBatches(5, 2)).toEqual([[0, 1], [2, 3], [4]]);
  });

  it('refuses a bad batch size', () => {
    expect(() => epochBatches(5, 0)).toThrow('batch size must be a positive integer');
  });
});

describeBackends('fit', () => {
  it('fits a linear regression: the loss falls and the weights approach the solution', () => {
    // y = 2·x0 - 3·x1 + 0.5, exactly representable; least squares has zero loss at w = [2, -3], b = 0.5
    const xs = [
      [1, 0],
      [0, 1],
      [1, 1],
      [2, -1],
      [-1, 2],
      [0.5, 0.5],
      [3, 1],
      [-2, -1],
    ];
    const ys = xs.map(([a, b]) => 2 * (a as number) - 3 * (b as number) + 0.5);
    const w = tf.tidy(() => tf.variable(tf.zeros([2])));
    const b = tf.tidy(() => tf.variable(tf.zeros([1])));
    const params = new Map<string, tf.Variable>([
      ['linear.weight', w],
      ['linear.bias', b],
    ]);
    const loss = (idx: number[]) =>
      tf.tidy(() => {
        const x = tf.tensor2d(idx.map((i) => xs[i] as number[]));
        const y = tf.tensor1d(idx.map((i) => ys[i] as number));
        return tf.mean(tf.square(tf.sub(tf.add(tf.sum(tf.mul(x, w), 1), b), y))) as tf.Scalar;
      });
    const seen: number[] = [];
    const r = fit(params, loss, {
      examples: xs.length,
      batchSize: 4,
      epochs: 150,
      baseLr: 0.1,
      seed: 1,
      maxGradNorm: 100,
      onEpoch: (e) => seen.push(e.meanLoss),
      progress: { silent: true },
    });
    expect(r.updates).toBe(300);
    expect(seen).toHaveLength(150);
    expect(seen[149] as number).toBeLessThan((seen[0] as number) / 100);
    const [w0, w1] = Array.from(w.dataSync());
    expect(w0).toBeCloseTo(2, 1);
    expect(w1).toBeCloseTo(-3, 1);
    tf.dispose([w, b]);
  });

  it('reports progress within each epoch (steps of that epoch), before the epoch callback', () => {
    const lines: string[] = [];
    const stream = { isTTY: false, write: (s: string) => lines.push(s) } as unknown as NodeJS.WriteStream;
    const w = tf.tidy(() => tf.variable(tf.zeros([1])));
    fit(new Map([['w', w]]), () => tf.tidy(() => tf.sum(tf.square(tf.sub(w, 1))) as tf.Scalar), {
      examples: 5,
      batchSize: 2,
      epochs: 2,
      baseLr: 0.1,
      onEpoch: (e) => lines.push(`epoch ${e.epoch} done\n`),
      progress: { stream, intervalMs: 0 },
    });
    w.dispose();
    // 5 examples in batches of 2: 3 steps per epoch; every step is reported (interval 0)
    expect(lines.map((l) => l.replace(/ \(.*\)/, ''))).toEqual([
      'train epoch 1/2: 1/3 steps\n',
      'train epoch 1/2: 2/3 steps\n',
      'train epoch 1/2: 3/3 steps\n',
      'epoch 1 done\n',
      'train epoch 2/2: 1/3 steps\n',
      'train epoch 2/2: 2/3 steps\n',
      'train epoch 2/2: 3/3 steps\n',
      'epoch 2 done\n',
    ]);
  });
});
