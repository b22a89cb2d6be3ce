import {
  type ForwardOptions,
  gelu,
  layerNormDef,
  leaves,
  linearDef,
  type Ops,
  type Params,
  ParamSet,
  record,
  tfOps,
} from '@kadapter/nn';
import { useBackend } from '@kadapter/test-utils';
import { AdamW, clipGradNorm as tfClipGradNorm } from '@kadapter/train';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GraphFunction, type GraphTensor, OrtEngine, type OrtTensor, OrtTrainer, ortTensor } from '../src/index.js';
import { adamStepSize, adamWUpdate, clipGradNorm, resolveAdamW } from '../src/train/adamw-graph.js';
import { uniform } from './support.js';

/*
 * The optimizer graph against @kadapter/train's AdamW and clipGradNorm (tfjs, cpu): first on the
 * same gradients and moments, then a whole OrtTrainer run against tfjs autodiff + clip + AdamW.
 */

const engine = new OrtEngine({ threads: 1 });
beforeAll(() => useBackend('cpu'));

/** |a - b| <= max(1e-7, 1e-2·|update|) per element, the project's AdamW parity rule. */
function expectUpdate(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  before: ArrayLike<number>,
  label: string,
) {
  expect(actual.length, `${label}: length`).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const update = Math.abs((expected[i] as number) - (before[i] as number));
    const diff = Math.abs((actual[i] as number) - (expected[i] as number));
    expect(diff, `${label}[${i}]: |diff| ${diff}, update ${update}`).toBeLessThanOrEqual(Math.max(1e-7, 1e-2 * update));
  }
}

const shapes = new Map<string, number[]>([
  ['dense.weight', [5, 4]],
  ['dense.bias', [4]],
  ['output.LayerNorm.weight', [4]],
  ['output.LayerNorm.bias', [4]],
  ['proj.weight', [4, 3]],
]);

describe('AdamW + clipping graph on the same gradients as @kadapter/train', () => {
  it('matches clip_grad_norm_ and AdamW step 2 (moments from step 1), weight decay by name', async () => {
    const config = { weightDecay: 0.01 };
    const [maxNorm, lr1, lr2] = [1.0, 1e-3, 4e-4];
    const seeds = (k: number) => [...shapes.keys()].map((_, i) => 10 * k + i);
    const data = (k: number, scale: number) =>
      new Map(
        [...shapes].map(([n, s], i) => [
          n,
          uniform(
            s.reduce((a, b) => a * b, 1),
            seeds(k)[i] as number,
            -scale,
            scale,
          ),
        ]),
      );
    const p0 = data(1, 1);
    const [g1, g2] = [data(2, 2), data(3, 2)];

    // reference: two steps of @kadapter/train
    const vars = new Map([...p0].map(([n, v]) => [n, tf.variable(tf.tensor(v, shapes.get(n)))]));
    const opt = new AdamW(vars, config);
    const step = (g: Map<string, Float32Array>, lr: number) => {
      const clip = tfClipGradNorm(new Map([...g].map(([n, v]) => [n, tf.tensor(v, shapes.get(n))])), maxNorm);
      opt.step(clip.grads, lr);
      return clip.totalNorm;
    };
    step(g1, lr1);
    const snap = () => new Map([...vars].map(([n, v]) => [n, v.dataSync() as Float32Array]));
    const p1 = snap();
    const s1 = opt.state();
    const norm2 = step(g2, lr2);
    const p2 = snap();
    const s2 = opt.state();

    // the engine: the same update as one graph, fed step 1's parameters and moments
    const adam = resolveAdamW(config);
    const fn = new GraphFunction(engine, (o, x) => {
      const names = [...shapes.keys()];
      const clipped = clipGradNorm(
        o,
        names.map((n) => x[`g:${n}`] as GraphTensor),
        maxNorm,
      );
      const out: Record<string, GraphTensor> = { norm: clipped.norm };
      names.forEach((n, i) => {
        const r = adamWUpdate(
          o,
          {
            param: x[`p:${n}`] as GraphTensor,
            grad: clipped.grads[i] as GraphTensor,
            m: x[`m:${n}`] as GraphTensor,
            v: x[`v:${n}`] as GraphTensor,
            decay: !adam.noDecay(n),
          },
          adam,
          x.step_size as GraphTensor,
          x.lr_decay as GraphTensor,
        );
        Object.assign(out, { [`p:${n}`]: r.param, [`m:${n}`]: r.m, [`v:${n}`]: r.v });
      });
      return out;
    });
    const feeds: Record<string, OrtTensor> = {
      step_size: ortTensor(new Float32Array([adamStepSize(adam, lr2, 2)]), []),
      lr_decay: ortTensor(new Float32Array([lr2 * config.weightDecay]), []),
    };
    for (const [n, s] of shapes) {
      feeds[`p:${n}`] = ortTensor(p1.get(n) as Float32Array, s);
      feeds[`g:${n}`] = ortTensor(g2.get(n) as Float32Array, s);
      feeds[`m:${n}`] = ortTensor(s1.moments.get(`m/${n}`)?.dataSync() as Float32Array, s);
      feeds[`v:${n}`] = ortTensor(s1.moments.get(`v/${n}`)?.dataSync() as Float32Array, s);
    }
    const out = await fn.run(feeds);
    await fn.dispose();
    expect(norm2).toBeGreaterThan(maxNorm); // the clip is active
    expect(Math.abs((out.norm?.data[0] as number) - norm2)).toBeLessThanOrEqual(1e-6 * norm2);
    for (const n of shapes.keys()) {
      expectUpdate(out[`p:${n}`]?.data as Float32Array, p2.get(n) as Float32Array, p1.get(n) as Float32Array, n);
      for (const k of ['m', 'v']) {
        const want = s2.moments.get(`${k}/${n}`)?.dataSync() as Float32Array;
        const got = out[`${k}:${n}`]?.data as Float32Array;
        want.forEach((w, i) => {
          expect(Math.abs((got[i] as number) - w), `${k}/${n}[${i}]`).toBeLessThanOrEqual(
            1e-7 * Math.max(1, Math.abs(w)) + 1e-12,
          );
        });
      }
    }
    opt.dispose();
    for (const v of vars.values()) v.dispose();
  });
});

const def = record({
  dense: linearDef(6, 5),
  LayerNorm: layerNormDef(5),
  head: linearDef(5, 3),
  unused: linearDef(2, 2),
});

/** Mean cross-entropy of a small classifier, written once for both engines. */
function loss<T>(o: Ops<T>, p: Params<typeof def, T>, x: T, labels: T, _options: ForwardOptions): T {
  const h = o.layerNorm(gelu(o, o.linear(x, p.dense.weight, p.dense.bias)), p.LayerNorm.weight, p.LayerNorm.bias, 1e-5);
  const logp = o.logSoftmax(o.linear(h, p.head.weight, p.head.bias));
  const [b] = o.shape(x) as [number];
  return o.div(o.neg(o.sum(o.mul(logp, o.oneHot(labels, 3)))), b);
}

describe('OrtTrainer against tfjs autodiff + @kadapter/train', () => {
  let set: ParamSet<typeof def>;
  beforeAll(async () => {
    await useBackend('cpu');
    set = ParamSet.create(def, { seed: 9 });
  });
  afterAll(() => set.dispose());
  const batch = {
    x: { values: uniform(4 * 6, 31, -2, 2), shape: [4, 6] },
    labels: { values: Int32Array.from([0, 2, 1, 2]), shape: [4] },
  };
  const frozen = (name: string) => name === 'dense.bias';
  const options = { weightDecay: 0.01 };
  const schedule = [1e-2, 5e-3, 2e-3];

  it('three steps: losses, gradient norms, parameters and moments; frozen and unused parameters untouched', async () => {
    const initial = new Map([...set.named()].map(([n, t]) => [n, t.dataSync() as Float32Array]));
    const trainer = new OrtTrainer(
      engine,
      {
        def,
        loss: (o, p, b, f) => loss(o, p, b.x as GraphTensor, b.labels as GraphTensor, f),
        trainable: (n) => !frozen(n),
        optimizer: options,
        maxGradNorm: 0.5,
        training: false,
      },
      initial,
    );
    // reference: tf variables, tfjs autodiff, train's clip and AdamW
    const variables = new Map([...set.namedVariables()].filter(([n]) => !frozen(n)));
    const opt = new AdamW(variables, options);
    const refSteps: Array<{ loss: number; norm: number }> = [];
    const got: Array<{ loss: number; gradNorm?: number }> = [];
    for (const lr of schedule) {
      const r = tf.tidy(() => {
        const x = tf.tensor(batch.x.values, batch.x.shape);
        const labels = tf.tensor(batch.labels.values, batch.labels.shape, 'int32');
        const { value, grads } = tf.variableGrads(
          () => loss(tfOps, set.params, x, labels, {}) as tf.Scalar,
          [...variables.values()],
        );
        const named = new Map([...variables].map(([n, v]) => [n, grads[v.name] as tf.Tensor]));
        named.delete('unused.weight'); // torch: grad is None, AdamW skips it
        named.delete('unused.bias');
        const clip = tfClipGradNorm(named, 0.5);
        opt.step(clip.grads, lr);
        return { loss: value.dataSync()[0] as number, norm: clip.totalNorm };
      });
      refSteps.push(r);
      got.push(
        await trainer.step(
          { x: ortTensor(batch.x.values, batch.x.shape), labels: ortTensor(batch.labels.values, batch.labels.shape) },
          lr,
        ),
      );
    }
    refSteps.forEach((r, i) => {
      expect(Math.abs((got[i]?.loss as number) - r.loss), `loss ${i}`).toBeLessThanOrEqual(1e-5 * Math.abs(r.loss));
      expect(Math.abs((got[i]?.gradNorm as number) - r.norm), `norm ${i}`).toBeLessThanOrEqual(1e-5 * r.norm);
    });
    expect(trainer.steps).toBe(3);
    expect(trainer.graphs).toBe(1); // one step graph for the three steps
    const params = trainer.parameters();
    const state = trainer.state();
    for (const leaf of leaves(def)) {
      const before = initial.get(leaf.name) as Float32Array;
      const want = set.named().get(leaf.name)?.dataSync() as Float32Array;
      expectUpdate(params.get(leaf.name) as Float32Array, want, before, leaf.name);
      if (frozen(leaf.name) || leaf.name.startsWith('unused.')) expect(params.get(leaf.name)).toEqual(before);
      expect(state.moments.has(`m/${leaf.name}`)).toBe(!frozen(leaf.name));
    }
    expect([...(state.moments.get('m/unused.weight') as Float32Array)].every((v) => v === 0)).toBe(true);
    const refState = opt.state();
    for (const [key, t] of refState.moments) {
      const want = t.dataSync() as Float32Array;
      const have = state.moments.get(key) as Float32Array;
      want.forEach((w, i) => {
        expect(Math.abs((have[i] as number) - w), `${key}[${i}]`).toBeLessThanOrEqual(1e-5 * Math.abs(w) + 1e-9);
      });
      t.dispose();
    }
    opt.dispose();
    await trainer.dispose();
  });
});
