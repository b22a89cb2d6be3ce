import { KAdapterStack } from '@kadapter/adapter';
import { loadBackbone } from '@kadapter/backbone';
import { tinyAdapterConfig } from '@kadapter/demo-data';
import { concatFusion, fusionFromWeights } from '@kadapter/fusion';
import { entityTyping, headFromWeights } from '@kadapter/heads';
import { fixtureVectors, fixtureWeights, int32Column, tensorOf } from '@kadapter/test-fixtures';
import {
  describeBackends,
  expectClose,
  expectOptimizerStep,
  GRADIENT_NORM,
  OPTIMIZER_STEP,
  tinyFixture,
} from '@kadapter/test-utils';
import * as tf from '@tensorflow/tfjs';
import { expect, it } from 'vitest';
import { accuracyMetric, POLICIES, type StepReport, TaskModel, train } from '../src/index.js';

const H = 64;
const TINY = { ...tinyAdapterConfig(), dropout: 0 };
const OPENENTITY = ['entity', 'location', 'time', 'organization', 'object', 'event', 'place', 'person', 'group'];

/**
 * 3 updates of the official OpenEntity fine-tuning loop (run_finetune_openentity_adapter.py,
 * released flags) in the fixture: backbone trained, both adapters frozen, concat fusion + ETModel
 * head trained, every dropout 0, backbone and task model clipped separately, optimizer.step()
 * before scheduler.step() (update 1 runs at lr 0).
 */
describeBackends('train: the official OpenEntity fine-tuning loop', () => {
  it('reproduces each loss, lr, both clip norms and every parameter after update 3', async () => {
    const v = await fixtureVectors('openentity.', 'ft_openentity.');
    const host = (n: string) => int32Column(v, n);
    const columns = new Map([
      ['input_ids', host('openentity.input_ids')],
      ['attention_mask', host('openentity.input_mask')],
      ['marker', host('openentity.start_index')],
      ['labels', host('openentity.labels')],
    ]);
    const backbone = await loadBackbone(tinyFixture(), { dropout: 0 });
    const adapter = async (which: 'fac' | 'lin') => {
      const named = await fixtureWeights([`${which}-adapter`, 'model.safetensors'], 'adapter.');
      const stack = KAdapterStack.fromWeights(which, TINY, H, named, `${which}-adapter/model.safetensors`);
      tf.dispose([...named.values()]);
      return stack;
    };
    const fusionNamed = await fixtureWeights(['fusion', 'model.safetensors']);
    const fusion = fusionFromWeights(
      concatFusion,
      { kind: 'concat', adapters: ['fac', 'lin'], hiddenSize: H },
      fusionNamed,
      'fusion',
    );
    const headNamed = await fixtureWeights(['heads', 'entity_typing.safetensors']);
    const head = headFromWeights(
      entityTyping,
      { kind: 'entity-typing', hiddenSize: H, labels: OPENENTITY, dropout: 0 },
      headNamed,
      'et',
    );
    const task = {
      name: 'openentity',
      inputs: { selectors: { marker: { feature: 'marker' } }, labels: { labels: { feature: 'labels' } } },
      metrics: accuracyMetric(),
    };
    const parts = {
      backbone,
      adapters: new Map([
        ['fac', await adapter('fac')],
        ['lin', await adapter('lin')],
      ]),
      fusion,
      head,
    };
    const model = new TaskModel(task, parts, columns);
    const reports: StepReport[] = [];
    await train(
      model,
      POLICIES.official,
      {
        batchSize: 4,
        gradAccum: 1,
        epochs: 3,
        maxSteps: 3,
        totalSteps: 10,
        lr: 1e-4,
        warmupSteps: 2,
        schedulerFirst: false,
        maxGradNorm: 1,
        shuffle: false,
        seed: 1,
        optimizer: { eps: 1e-8, weightDecay: 0 },
      },
      { onStep: (r) => void reports.push(r) },
    );
    expectClose(
      reports.map((r) => r.loss),
      v.get('ft_openentity.losses') as tf.Tensor,
      'losses',
      { atol: 1e-5, rtol: 0 },
    );
    expectClose(
      reports.map((r) => r.lr),
      v.get('ft_openentity.lrs') as tf.Tensor,
      'lrs',
      { atol: 1e-12, rtol: 1e-6 },
    );
    expectClose(
      reports.flatMap((r) => r.gradNorms),
      v.get('ft_openentity.grad_norms') as tf.Tensor,
      'grad norms',
      GRADIENT_NORM,
    );
    const params = model.parameters(POLICIES.official).all;
    let compared = 0;
    for (const [name, p] of params) {
      const official = name.startsWith('backbone/')
        ? `backbone.model.${name.slice('backbone/'.length)}`
        : `task.${name.replace(/^(fusion|head)\//, '')}`;
      const torchLayout = (t: tf.Tensor) => (t.rank === 2 && !official.includes('embeddings.') ? tf.transpose(t) : t);
      const expected = tensorOf(v, `ft_openentity.after_3_steps.${official}`);
      const start = tensorOf(v, `ft_openentity.start.${official}`);
      tf.tidy(() =>
        expectOptimizerStep(
          torchLayout(p),
          start,
          expected,
          `after_3_steps.${official}`,
          OPTIMIZER_STEP.atolAfterSteps,
        ),
      );
      compared++;
    }
    expect(compared).toBe(69 + 10);
    for (const s of parts.adapters.values()) s.dispose();
    tf.dispose([...v.values(), ...fusionNamed.values(), ...headNamed.values()]);
    fusion.dispose();
    head.dispose();
    backbone.dispose();
  });
});
