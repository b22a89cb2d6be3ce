import { KAdapterStack } from '@kadapter/adapter';
import { loadBackbone } from '@kadapter/backbone';
import { tinyAdapterConfig } from '@kadapter/demo-data';
import { facPretraining, headFromWeights } from '@kadapter/heads';
import { fixtureVectors, fixtureWeights, tensorOf } from '@kadapter/test-fixtures';
import {
  describeBackends,
  expectClose,
  GRADIENT_NORM,
  OPTIMIZER_STEP,
  OPTIMIZER_UPDATE,
  tinyFixture,
} from '@kadapter/test-utils';
import * as tf from '@tensorflow/tfjs';
import { expect, it } from 'vitest';
import { AdamW, learningRate, trainStep } from '../src/index.js';

const H = 64;
const TINY = { ...tinyAdapterConfig(), dropout: 0 };

/**
 * One step of the official fac pre-training loop (fac-adapter.py train(), reproduced in the
 * fixture: frozen backbone, adapter + head with dropout 0, CE loss, clip 1.0, scheduler.step()
 * then AdamW(lr 5e-5, warmup 2, t_total 10)) against `train.*` and `after_step.*`.
 */
describeBackends('official fac pre-training step', () => {
  it('reproduces the loss, gradient norm, learning rate and every parameter after the update', async () => {
    const file = tinyFixture('fac-adapter', 'model.safetensors');
    const named = await fixtureWeights(['fac-adapter', 'model.safetensors']);
    const v = await fixtureVectors('trex.', 'train.', 'after_step.');
    const get = (n: string): tf.Tensor => tensorOf(v, n);
    const backbone = await loadBackbone(tinyFixture());
    const stack = KAdapterStack.fromWeights(
      'fac',
      TINY,
      H,
      new Map([...named].filter(([n]) => n.startsWith('adapter.'))),
      file,
      { trainable: true },
    );
    const head = headFromWeights(
      facPretraining,
      { kind: 'fac-pretraining', hiddenSize: H, labels: Array.from({ length: 10 }, (_, i) => `r${i}`), dropout: 0 },
      new Map([...named].filter(([n]) => !n.startsWith('adapter.'))),
      file,
      { trainable: true },
    );
    const params = new Map([...stack.namedVariables(), ...head.namedVariables()]);
    const start = new Map([...params].map(([n, p]) => [n, tf.clone(p)]));
    const out = backbone.encode(
      { inputIds: get('trex.input_ids') as tf.Tensor2D, attentionMask: get('trex.input_mask') as tf.Tensor2D },
      { taps: TINY.taps },
    );
    const lr = learningRate(1, { baseLr: 5e-5, warmupSteps: 2, totalSteps: 10 });
    expectClose([lr], get('train.lr_used'), 'lr_used', { atol: 1e-12, rtol: 1e-6 });

    const optimizer = new AdamW(params, { eps: 1e-8, weightDecay: 0 });
    const result = trainStep(
      () => {
        const a = stack.apply(out, { training: true }).output;
        const logits = head.apply(
          a,
          { last: out.last, subj: get('trex.subj_index') as tf.Tensor1D, obj: get('trex.obj_index') as tf.Tensor1D },
          { training: true },
        );
        return head.loss(logits, get('trex.label_id') as tf.Tensor1D);
      },
      params,
      optimizer,
      { lr, maxGradNorm: 1 },
    );
    expectClose([result.loss], get('train.loss'), 'loss');
    expectClose([result.gradNorm], get('train.grad_total_norm'), 'grad norm', GRADIENT_NORM);

    expect(params.size).toBe(114);
    for (const [name, p] of params) {
      tf.tidy(() => {
        // tfjs keeps linear weights as [in, out]; the fixture stores PyTorch layout [out, in]
        const torchLayout = (t: tf.Tensor) => (t.rank === 2 ? tf.transpose(t) : t);
        const after = torchLayout(p);
        const expected = get(`after_step.${name}`);
        expectClose(after, expected, `after_step.${name}`, { atol: OPTIMIZER_STEP.atol, rtol: 0 });
        // and the update itself (about lr = 2.5e-5 per element) within 1e-2 (stricter than expectOptimizerStep)
        const before = torchLayout(start.get(name) as tf.Tensor);
        expectClose(tf.sub(after, before), tf.sub(expected, before), `update of ${name}`, OPTIMIZER_UPDATE);
      });
    }
    tf.dispose([...named.values(), ...v.values(), ...start.values(), ...out.hiddenStates, out.last, out.mask]);
    optimizer.dispose();
    stack.dispose();
    head.dispose();
    backbone.dispose();
  });
});
