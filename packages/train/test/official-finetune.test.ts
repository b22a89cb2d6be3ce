import { KAdapterStack } from '@kadapter/adapter';
import { loadBackbone } from '@kadapter/backbone';
import type { HostTensor } from '@kadapter/core';
import { tinyAdapterConfig } from '@kadapter/demo-data';
import { concatFusion, fusionFromWeights } from '@kadapter/fusion';
import { entityTyping, headFromWeights } from '@kadapter/heads';
import { loadSafetensors } from '@kadapter/io';
import { describeBackends, expectClose, tinyFixture } from '@kadapter/test-utils';
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
    const v = await loadSafetensors(tinyFixture('vectors.safetensors'), (n) =>
      ['openentity.', 'ft_openentity.'].some((p) => n.startsWith(p)),
    );
    const host = (n: string): HostTensor => {
      const t = v.get(n) as tf.Tensor;
      return { shape: t.shape, data: Int32Array.from(t.dataSync()) };
    };
    const columns = new Map([
      ['input_ids', host('openentity.input_ids')],
      ['attention_mask', host('openentity.input_mask')],
      ['marker', host('openentity.start_index')],
      ['labels', host('openentity.labels')],
    ]);
    const backbone = await loadBackbone(tinyFixture(), { dropout: 0 });
    const adapter = async (which: 'fac' | 'lin') => {
      const file = tinyFixture(`${which}-adapter`, 'model.safetensors');
      const named = await loadSafetensors(file, (n) => n.startsWith('adapter.'));
      const stack = KAdapterStack.fromWeights(which, TINY, H, named, file);
      tf.dispose([...named.values()]);
      return stack;
    };
    const fusionNamed = await loadSafetensors(tinyFixture('fusion', 'model.safetensors'));
    const fusion = fusionFromWeights(
      concatFusion,
      { kind: 'concat', adapters: ['fac', 'lin'], hiddenSize: H },
      fusionNamed,
      'fusion',
    );
    const headNamed = await loadSafetensors(tinyFixture('heads', 'entity_typing.safetensors'));
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
      {
        rtol: 1e-4,
        atol: 1e-6,
      },
    );
    const params = model.parameters(POLICIES.official).all;
    let compared = 0;
    for (const [name, p] of params) {
      const official = name.startsWith('backbone/')
        ? `backbone.model.${name.slice('backbone/'.length)}`
        : `task.${name.replace(/^(fusion|head)\//, '')}`;
      const torchLayout = (t: tf.Tensor) => (t.rank === 2 && !official.includes('embeddings.') ? tf.transpose(t) : t);
      const after = torchLayout(p);
      const expected = v.get(`ft_openentity.after_3_steps.${official}`) as tf.Tensor;
      const start = v.get(`ft_openentity.start.${official}`) as tf.Tensor;
      expect(expected, official).toBeDefined();
      const update = tf.sub(expected, start);
      const ok = tf.tidy(
        () =>
          tf
            .logicalOr(
              tf.lessEqual(tf.abs(tf.sub(after, expected)), 2e-7),
              tf.lessEqual(tf.abs(tf.sub(tf.sub(after, start), update)), tf.mul(tf.abs(update), 1e-2)),
            )
            .all()
            .dataSync()[0],
      );
      expect(ok, `after_3_steps.${official}`).toBe(1);
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
