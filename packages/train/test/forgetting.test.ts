import { KAdapterStack } from '@kadapter/adapter';
import { loadBackbone } from '@kadapter/backbone';
import { tinyAdapterConfig } from '@kadapter/demo-data';
import { createHead, facPretraining } from '@kadapter/heads';
import { fixtureVectors, int32Column } from '@kadapter/test-fixtures';
import { describeBackends, tinyFixture } from '@kadapter/test-utils';
import * as tf from '@tensorflow/tfjs';
import { expect, it } from 'vitest';
import { accuracyMetric, POLICIES, TaskModel, train } from '../src/index.js';

/**
 * K-Adapter's central claim: knowledge goes into the adapters, the backbone is not touched. After
 * pre-training (adapter and head updated, dropout on), the backbone object that served the run has
 * bit-identical weights and gives bit-identical outputs on a fixed batch.
 */
describeBackends('no forgetting', () => {
  it("pre-training leaves the backbone's weights and outputs bit-identical", async () => {
    const backbone = await loadBackbone(tinyFixture());
    const v = await fixtureVectors('trex.');
    const host = (n: string) => int32Column(v, n);
    const batch = {
      inputIds: v.get('trex.input_ids') as tf.Tensor2D,
      attentionMask: v.get('trex.input_mask') as tf.Tensor2D,
    };
    const snapshot = () => {
      const out = backbone.encode(batch);
      const states = out.hiddenStates.map((h) => Array.from(h?.dataSync() ?? []));
      tf.dispose([...out.hiddenStates.filter((h): h is tf.Tensor3D => h !== undefined), out.mask]);
      const weights = backbone.weights();
      const values = new Map([...weights].map(([n, t]) => [n, Array.from(t.dataSync())]));
      tf.dispose([...weights.values()]);
      return { states, values };
    };
    const before = snapshot();
    const stack = KAdapterStack.create('fac', tinyAdapterConfig(), 64, { seed: 1 });
    const head = createHead(
      facPretraining,
      { kind: 'fac-pretraining', hiddenSize: 64, labels: Array.from({ length: 10 }, (_, i) => `r${i}`), dropout: 0.1 },
      { seed: 2 },
    );
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
    const columns = new Map([
      ['input_ids', host('trex.input_ids')],
      ['attention_mask', host('trex.input_mask')],
      ['subj_marker', host('trex.subj_index')],
      ['obj_marker', host('trex.obj_index')],
      ['labels', host('trex.label_id')],
    ]);
    const model = new TaskModel(task, { backbone, adapters: new Map([['fac', stack]]), head }, columns);
    const upProject = () => {
      const weights = stack.weights();
      const values = Array.from((weights.get('adapter.0.up_project.weight') as tf.Tensor).dataSync());
      tf.dispose([...weights.values()]);
      return values;
    };
    const adapterBefore = upProject();
    const result = await train(model, POLICIES.pretraining, {
      batchSize: 2,
      gradAccum: 1,
      epochs: 3,
      lr: 1e-3,
      schedulerFirst: true,
      maxGradNorm: 1,
      shuffle: true,
      seed: 5,
    });
    expect(result.steps).toBe(9);
    // the adapter did learn something
    expect(upProject()).not.toEqual(adapterBefore);
    expect(backbone.frozen).toBe(true);
    expect(backbone.trainableVariables()).toEqual([]);
    const after = snapshot();
    expect(after.states).toEqual(before.states);
    for (const [n, values] of before.values) expect(after.values.get(n), n).toEqual(values);
    stack.dispose();
    head.dispose();
    backbone.dispose();
    tf.dispose([...v.values()]);
  });
});
