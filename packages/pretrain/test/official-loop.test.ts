import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { importOfficialAdapter } from '@kadapter/adapter';
import { readBackboneInfo } from '@kadapter/backbone';
import { loadSafetensors } from '@kadapter/io';
import { fixtureVectors, fixtureWeights, tensorOf } from '@kadapter/test-fixtures';
import {
  describeBackends,
  expectClose,
  expectOptimizerStep,
  OPTIMIZER_STEP,
  tinyFixture,
  useTempDir,
} from '@kadapter/test-utils';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { pretrain } from '../src/index.js';
import { trexModule } from './module.js';

const tempDir = useTempDir('kadapter-pretrain-');

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
    v = await fixtureVectors('train.', 'train10.', 'after_step.', 'after_10_steps.');
    start = await fixtureWeights(['fac-adapter', 'model.safetensors']);
  });
  afterAll(() => tf.dispose([...v.values(), ...start.values()]));

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
      expectOptimizerStep(p, tensorOf(start, name), tensorOf(v, `after_step.${name}`), `after_step.${name}`);
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
      const expected = tensorOf(v, `after_10_steps.${name}`);
      expectOptimizerStep(p, tensorOf(start, name), expected, `after_10_steps.${name}`, OPTIMIZER_STEP.atolAfterSteps);
    }
    tf.dispose([...params.values()]);
  });
});
