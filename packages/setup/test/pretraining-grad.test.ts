import { KAdapterStack } from '@kadapter/adapter';
import { loadBackbone } from '@kadapter/backbone';
import { facPretraining, headFromWeights } from '@kadapter/heads';
import { fixtureVectors, fixtureWeights, tensorOf } from '@kadapter/test-fixtures';
import {
  describeBackends,
  expectClose,
  expectScalarClose,
  GRADIENT,
  GRADIENT_NORM,
  PARITY,
  tinyFixture,
} from '@kadapter/test-utils';
import * as tf from '@tensorflow/tfjs';
import { expect, it } from 'vitest';
import { H, TINY_CONFIG } from './fixture.js';

/**
 * One backward pass of the fac pre-training loss (fac-adapter.py train(): frozen backbone in eval
 * mode, adapter and head in train mode with dropout p = 0) against the official gradients
 * `grad.*` (before clipping), at the fixture's tolerance rel 1e-3 + abs 1e-6.
 */
describeBackends('fac pre-training gradients', () => {
  it('loss, every parameter gradient and the total gradient norm match the official backward', async () => {
    const backbone = await loadBackbone(tinyFixture());
    const v = await fixtureVectors('trex.', 'train.', 'grad.');
    const file = tinyFixture('fac-adapter', 'model.safetensors');
    const named = await fixtureWeights(['fac-adapter', 'model.safetensors']);
    const adapterNamed = new Map([...named].filter(([n]) => n.startsWith('adapter.')));
    const headNamed = new Map([...named].filter(([n]) => !n.startsWith('adapter.')));
    const stack = KAdapterStack.fromWeights('fac', { ...TINY_CONFIG, dropout: 0 }, H, adapterNamed, file, {
      trainable: true,
    });
    const labels = Array.from({ length: 10 }, (_, i) => `P${i}`);
    const head = headFromWeights(
      facPretraining,
      { kind: 'fac-pretraining', hiddenSize: H, labels, dropout: 0 },
      headNamed,
      file,
      {
        trainable: true,
      },
    );
    const out = backbone.encode(
      {
        inputIds: tensorOf(v, 'trex.input_ids') as tf.Tensor2D,
        attentionMask: tensorOf(v, 'trex.input_mask') as tf.Tensor2D,
      },
      { taps: TINY_CONFIG.taps },
    );
    const vars = new Map([...stack.namedVariables(), ...head.namedVariables()]);
    expect(vars.size).toBe(114);
    const { value, grads } = tf.variableGrads(() => {
      const a = stack.apply(out, { training: true }).output;
      const logits = head.apply(
        a,
        {
          last: out.last,
          subj: tensorOf(v, 'trex.subj_index') as tf.Tensor1D,
          obj: tensorOf(v, 'trex.obj_index') as tf.Tensor1D,
        },
        { training: true },
      );
      return head.loss(logits, tensorOf(v, 'trex.label_id') as tf.Tensor1D);
    }, [...vars.values()]);
    expectScalarClose(value, tensorOf(v, 'train.loss'), 'train.loss', PARITY);
    let sq = 0;
    for (const [name, variable] of vars) {
      tf.tidy(() => {
        const g = grads[variable.name] as tf.Tensor;
        // tfjs holds linear weights as [in, out]; the official gradients are in PyTorch layout [out, in]
        const torchLayout = g.rank === 2 ? tf.transpose(g) : g;
        expectClose(torchLayout, tensorOf(v, `grad.${name}`), `grad.${name}`, GRADIENT);
        sq += tf.sum(tf.square(g)).dataSync()[0] as number;
      });
    }
    expectClose([Math.sqrt(sq)], tensorOf(v, 'train.grad_total_norm'), 'grad total norm', GRADIENT_NORM);
    tf.dispose([...v.values(), ...named.values(), ...out.hiddenStates, out.last, out.mask, value, grads]);
    stack.dispose();
    head.dispose();
    backbone.dispose();
  });
});
