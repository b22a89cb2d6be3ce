import { KAdapterStack } from '@kadapter/adapter';
import { loadBackbone } from '@kadapter/backbone';
import { tinyAdapterConfig } from '@kadapter/demo-data';
import { facPretraining, headFromWeights } from '@kadapter/heads';
import { fixtureVectors, fixtureWeights, int32Column, tensorOf } from '@kadapter/test-fixtures';
import { describeBackends, expectClose, expectOptimizerStep, OPTIMIZER_STEP, tinyFixture } from '@kadapter/test-utils';
import * as tf from '@tensorflow/tfjs';
import { expect, it } from 'vitest';
import { accuracyMetric, POLICIES, type StepReport, TaskModel, train } from '../src/index.js';

const H = 64;
const TINY = { ...tinyAdapterConfig(), dropout: 0 };

/** The fac pre-training task over the fixture's encoded T-REx batch. */
const task = {
  name: 'trex',
  inputs: {
    selectors: {
      last: { backbone: 'last' as const },
      subj: { feature: 'subj_marker' },
      obj: { feature: 'obj_marker' },
    },
    labels: { labels: { feature: 'labels' } },
  },
  metrics: accuracyMetric(),
};

async function fixtureRun() {
  const file = tinyFixture('fac-adapter', 'model.safetensors');
  const named = await fixtureWeights(['fac-adapter', 'model.safetensors']);
  const v = await fixtureVectors('trex.', 'train10.', 'after_10_steps.');
  const host = (n: string) => int32Column(v, n);
  const columns = new Map([
    ['input_ids', host('trex.input_ids')],
    ['attention_mask', host('trex.input_mask')],
    ['subj_marker', host('trex.subj_index')],
    ['obj_marker', host('trex.obj_index')],
    ['labels', host('trex.label_id')],
  ]);
  const backbone = await loadBackbone(tinyFixture());
  const adapterNamed = new Map([...named].filter(([n]) => n.startsWith('adapter.')));
  const stack = KAdapterStack.fromWeights('fac', TINY, H, adapterNamed, file);
  const head = headFromWeights(
    facPretraining,
    { kind: 'fac-pretraining', hiddenSize: H, labels: Array.from({ length: 10 }, (_, i) => `r${i}`), dropout: 0 },
    new Map([...named].filter(([n]) => !n.startsWith('adapter.'))),
    file,
  );
  const model = new TaskModel(task, { backbone, adapters: new Map([['fac', stack]]), head }, columns);
  return {
    model,
    v,
    named,
    dispose: () => {
      stack.dispose();
      head.dispose();
      backbone.dispose();
      tf.dispose([...v.values(), ...named.values()]);
    },
  };
}

describeBackends('train: the official fac pre-training loop', () => {
  it('10 updates on the full batch reproduce every loss, lr and the parameters after update 10', async () => {
    const { model, v, named, dispose } = await fixtureRun();
    const reports: StepReport[] = [];
    const result = await train(
      model,
      POLICIES.pretraining,
      {
        batchSize: 5,
        gradAccum: 1,
        epochs: 10,
        maxSteps: 10,
        totalSteps: 10,
        lr: 5e-5,
        warmupSteps: 2,
        schedulerFirst: true,
        maxGradNorm: 1,
        shuffle: false,
        seed: 1,
        optimizer: { eps: 1e-8, weightDecay: 0 },
      },
      { onStep: (r) => void reports.push(r) },
    );
    expect(result.steps).toBe(10);
    expectClose(
      reports.map((r) => r.loss),
      v.get('train10.losses') as tf.Tensor,
      'train10.losses',
      { atol: 1e-5, rtol: 0 },
    );
    expectClose(
      reports.map((r) => r.lr),
      v.get('train10.lrs') as tf.Tensor,
      'train10.lrs',
      { atol: 1e-12, rtol: 1e-6 },
    );
    const params = model.parameters(POLICIES.pretraining).all;
    expect(params.size).toBe(114);
    for (const [name, p] of params) {
      const official = name.replace(/^(adapter:fac|head)\//, '');
      const torchLayout = (t: tf.Tensor) => (t.rank === 2 ? tf.transpose(t) : t);
      const expected = tensorOf(v, `after_10_steps.${official}`);
      const start = tensorOf(named, official);
      // within 2e-7 absolute, or within 1e-2 of the total update (fixture README)
      tf.tidy(() =>
        expectOptimizerStep(
          torchLayout(p),
          start,
          expected,
          `after_10_steps.${official}`,
          OPTIMIZER_STEP.atolAfterSteps,
        ),
      );
    }
    dispose();
  });
});
