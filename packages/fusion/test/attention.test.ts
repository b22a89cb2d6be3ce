import { describeBackends, EXACT, expectClose } from '@kadapter/test-utils';
import * as tf from '@tensorflow/tfjs';
import { expect, it } from 'vitest';
import { attentionFusion, createFusion, fusionFromWeights } from '../src/index.js';
import { refLinear, toRows } from './reference.js';

describeBackends('attention fusion', () => {
  const h = 6;
  const names = ['fac', 'lin', 'lex'];
  const x = () => tf.randomNormal([2, 5, h], 0, 1, 'float32', 1) as tf.Tensor3D;
  const ins = () =>
    Object.fromEntries(names.map((n, i) => [n, tf.randomNormal([2, 5, h], 0, 1, 'float32', 20 + i) as tf.Tensor3D]));

  for (const residual of [false, true]) {
    it(`per-token softmax over adapters of q·k/√H, Σ p·value(a)${residual ? ' + h' : ''}`, () => {
      const created = createFusion(
        attentionFusion,
        { kind: 'attention', adapters: names, hiddenSize: h, residual },
        { seed: 5 },
      );
      // perturb the identity value init so the value projection is exercised too
      const ws = created.weights();
      const vw = ws.get('attention_fusion.value.weight') as tf.Tensor;
      ws.set(
        'attention_fusion.value.weight',
        tf.tidy(() => tf.add(vw, tf.randomNormal(vw.shape, 0, 0.3, 'float32', 9))),
      );
      vw.dispose();
      const f = fusionFromWeights(attentionFusion, created.config, ws, 'test', { trainable: true });
      const g = (n: string) => ws.get(`attention_fusion.${n}`) as tf.Tensor;
      const input = x();
      const hx = toRows(input);
      const a = ins();
      const q = refLinear(hx, g('query.weight'), g('query.bias'));
      const keys = names.map((n) => refLinear(toRows(a[n] as tf.Tensor), g('key.weight'), g('key.bias')));
      const vals = names.map((n) => refLinear(toRows(a[n] as tf.Tensor), g('value.weight'), g('value.bias')));
      const expected: number[][] = [];
      const expectedP: number[][] = [];
      q.forEach((qr, r) => {
        const s = keys.map(
          (k) => qr.reduce((acc, qv, c) => acc + qv * ((k[r] as number[])[c] as number), 0) / Math.sqrt(h),
        );
        const m = Math.max(...s);
        const e = s.map((z) => Math.exp(z - m));
        const z = e.reduce((p, c) => p + c, 0);
        const p = e.map((v) => v / z);
        expectedP.push(p);
        expected.push(
          Array.from({ length: h }, (_, c) =>
            p.reduce(
              (acc, pv, i) => acc + pv * ((vals[i] as number[][])[r]?.[c] as number),
              residual ? ((hx[r] as number[])[c] as number) : 0,
            ),
          ),
        );
      });
      const { output, probs } = f.forward(input, a) as unknown as { output: tf.Tensor; probs: tf.Tensor };
      expectClose(toRows(output).flat(), expected.flat(), 'attention fusion output', { atol: 1e-5, rtol: 0 });
      expectClose(toRows(probs).flat(), expectedP.flat(), 'attention probabilities', { atol: 1e-6, rtol: 0 });
      const applied = f.apply(input, a);
      expectClose(applied, output, 'apply = forward().output', EXACT);
      expect(f.trainableVariables()).toHaveLength(6);
      tf.dispose([...ws.values(), input, a, output, probs, applied]);
      created.dispose();
      f.dispose();
    });
  }

  it('starts with an identity value projection', () => {
    const f = createFusion(
      attentionFusion,
      { kind: 'attention', adapters: ['a'], hiddenSize: h, residual: false },
      { seed: 1 },
    );
    const { fac: a, ...others } = ins();
    const input = x();
    // one adapter: softmax weight 1, value = identity → output equals the adapter output
    const out = f.apply(input, { a: a as tf.Tensor3D });
    expectClose(out, a as tf.Tensor3D, 'single adapter at init', { atol: 1e-6, rtol: 0 });
    tf.dispose([a, others, input, out]);
    f.dispose();
  });
});
