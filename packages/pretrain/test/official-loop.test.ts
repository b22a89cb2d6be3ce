import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { importOfficialAdapter } from '@kadapter/adapter';
import { readBackboneInfo } from '@kadapter/backbone';
import { loadSafetensors } from '@kadapter/io';
import { describeBackends, expectClose, tinyFixture, useTempDir } from '@kadapter/test-utils';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, expect, it } from 'vitest';
import { pretrain } from '../src/index.js';
import { trexModule } from './module.js';

const tempDir = useTempDir('kadapter-pretrain-');

/** Parameters within `atol` of the reference, or within 1e-2 of the reference update (fixture README). */
function expectUpdate(after: tf.Tensor, expected: tf.Tensor, start: tf.Tensor, atol: number, label: string) {
  const ok = tf.tidy(() => {
    const update = tf.sub(expected, start);
    return tf
      .logicalOr(
        tf.lessEqual(tf.abs(tf.sub(after, expected)), atol),
        tf.lessEqual(tf.abs(tf.sub(tf.sub(after, start), update)), tf.mul(tf.abs(update), 1e-2)),
      )
      .all()
      .dataSync()[0];
  });
  expect(ok, label).toBe(1);
}

describeBackends('pretrain reproduces the official fac pre-training loop', () => {
  let init: string;
  let v: Map<string, tf.Tensor>;
  let start: Map<string, tf.Tensor>;
  beforeAll(async () => {
    init = join(await tempDir(), 'fac');
    const info = await readBackboneInfo(tinyFixture());
    await importOfficialAdapter(tinyFixture('fac-adapter', 'pytorch_model.bin'), init, {
      backbone: info,
      taps: [0, 2, 3],
      heads: 4,
    });
    v = await loadSafetensors(tinyFixture('vectors.safetensors'), (n) =>
      ['train.', 'train10.', 'after_step.', 'after_10_steps.'].some((p) => n.startsWith(p)),
    );
    start = await loadSafetensors(tinyFixture('fac-adapter', 'model.safetensors'));
  });

  const run = async (maxSteps: number) => {
    const out = join(await tempDir(), 'run');
    const result = await pretrain({
      module: trexModule,
      backbone: tinyFixture(),
      data: [tinyFixture('examples', 'trex.json')],
      maxLength: 32,
      init,
      dropout: 0,
      out,
      settings: { shuffle: false, maxSteps, totalSteps: 10, warmupSteps: 2, lr: 5e-5 },
      progress: { silent: true },
      log: () => {},
    });
    const metrics = (await readFile(join(out, 'metrics.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { step: number; loss: number; lr: number });
    const params = new Map([
      ...(await loadSafetensors(join(result.adapter, 'adapter.safetensors'))),
      ...(await loadSafetensors(join(result.adapter, 'pretraining_head.safetensors'))),
    ]);
    return { result, metrics, params };
  };

  it('--max-steps 1: the loss and every parameter after the first update', async () => {
    const { result, metrics, params } = await run(1);
    expect(result.steps).toBe(1);
    expect(result.examples.train).toBe(5);
    expectClose([metrics[0]?.loss as number], v.get('train.loss') as tf.Tensor, 'loss', { atol: 1e-5, rtol: 0 });
    expectClose([metrics[0]?.lr as number], v.get('train.lr_used') as tf.Tensor, 'lr', { atol: 1e-12, rtol: 1e-6 });
    expect(params.size).toBe(114);
    for (const [name, p] of params) {
      expectUpdate(
        p,
        v.get(`after_step.${name}`) as tf.Tensor,
        start.get(name) as tf.Tensor,
        1e-7,
        `after_step.${name}`,
      );
    }
    tf.dispose([...params.values()]);
  });

  it('--max-steps 10: each step loss and lr of the schedule and the parameters after step 10', async () => {
    const { result, metrics, params } = await run(10);
    expect(result.steps).toBe(10);
    expectClose(
      metrics.map((m) => m.loss),
      v.get('train10.losses') as tf.Tensor,
      'losses',
      { atol: 1e-5, rtol: 0 },
    );
    expectClose(
      metrics.map((m) => m.lr),
      v.get('train10.lrs') as tf.Tensor,
      'lrs',
      { atol: 1e-12, rtol: 1e-6 },
    );
    for (const [name, p] of params) {
      expectUpdate(
        p,
        v.get(`after_10_steps.${name}`) as tf.Tensor,
        start.get(name) as tf.Tensor,
        2e-7,
        `after_10_steps.${name}`,
      );
    }
    tf.dispose([...params.values()]);
  });
});
