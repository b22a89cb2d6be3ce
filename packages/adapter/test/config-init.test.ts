import { isKAdapterError } from '@kadapter/core';
import { checkTensorLeaks, useBackend } from '@kadapter/test-utils';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { adapterWeightSpec, KAdapterStack, resolveAdapterConfig } from '../src/index.js';

describe('adapter configuration', () => {
  it('defaults to the official taps 0,11,22 for 24 layers only; other depths must name taps', () => {
    expect(resolveAdapterConfig({}, 24).taps).toEqual([0, 11, 22]);
    expect(() => resolveAdapterConfig({}, 4)).toThrow(/field 'taps'.*no taps given.*this one has 4 layers/);
    expect(resolveAdapterConfig({ taps: [0, 2, 3] }, 4).taps).toEqual([0, 2, 3]);
  });

  it('refuses taps beyond the backbone depth, skip ≠ 0 and inconsistent sizes, naming the field', () => {
    const cases: Array<[object, RegExp]> = [
      [
        { taps: [0, 2, 5] },
        /field 'taps'.*tap 5 is beyond the backbone depth: hidden states run from 0 \(embeddings\) to 4/,
      ],
      [{ taps: [0, -1] }, /field 'taps'/],
      [{ taps: [0], skip: 3 }, /field 'skip'.*only 0/],
      [{ taps: [0], adapterSize: 30, heads: 4 }, /field 'heads'.*30 is not divisible by 4/],
      [{ taps: [0], dropout: 1 }, /field 'dropout'/],
    ];
    for (const [partial, pattern] of cases) {
      try {
        resolveAdapterConfig(partial, 4);
        expect.unreachable();
      } catch (err) {
        expect(isKAdapterError(err, 'E_CONFIG')).toBe(true);
        expect(String(err)).toMatch(pattern);
      }
    }
  });

  it('names 36 tensors per adapter layer, 108 for the released 3-layer adapters (47,251,200 parameters)', () => {
    const spec = adapterWeightSpec(resolveAdapterConfig({}, 24), 1024);
    expect(spec.size).toBe(108);
    expect([...spec.values()].reduce((s, shape) => s + shape.reduce((a, b) => a * b, 1), 0)).toBe(47_251_200);
    expect(spec.get('adapter.2.encoder.layer.1.intermediate.dense.weight')).toEqual([3072, 768]);
    expect(spec.get('adapter.0.down_project.weight')).toEqual([768, 1024]);
    expect(spec.get('adapter.1.up_project.weight')).toEqual([1024, 768]);
  });
});

describe('adapter initialisation (official pre-training init)', () => {
  checkTensorLeaks();
  beforeAll(() => useBackend('cpu'));

  it('down/up weights ~ N(0, 0.0002²), zero biases; inner layers PyTorch defaults', () => {
    const config = resolveAdapterConfig({ taps: [0, 1], adapterSize: 128, intermediateSize: 256, heads: 4 }, 4);
    const stack = KAdapterStack.create('x', config, 256, { seed: 42 });
    const w = stack.weights();
    const stats = (name: string) => {
      const d = Array.from((w.get(name) as tf.Tensor).dataSync());
      const mean = d.reduce((s, x) => s + x, 0) / d.length;
      const std = Math.sqrt(d.reduce((s, x) => s + (x - mean) ** 2, 0) / d.length);
      return { mean, std, maxAbs: Math.max(...d.map(Math.abs)), n: d.length };
    };
    for (const n of ['adapter.0.down_project.weight', 'adapter.1.up_project.weight']) {
      const s = stats(n);
      expect(s.n).toBe(32768);
      expect(Math.abs(s.std / 0.0002 - 1)).toBeLessThan(0.03);
      expect(Math.abs(s.mean)).toBeLessThan(0.0002 * 0.05);
    }
    for (const n of ['adapter.0.down_project.bias', 'adapter.1.up_project.bias']) expect(stats(n).maxAbs).toBe(0);
    // nn.Linear default: U(±1/√fan_in) for weight and bias, std = bound/√3
    const q = stats('adapter.0.encoder.layer.0.attention.self.query.weight');
    const bound = 1 / Math.sqrt(128);
    expect(q.maxAbs).toBeLessThanOrEqual(bound);
    expect(Math.abs(q.std / (bound / Math.sqrt(3)) - 1)).toBeLessThan(0.03);
    expect(stats('adapter.1.encoder.layer.1.output.dense.bias').maxAbs).toBeLessThanOrEqual(1 / Math.sqrt(256));
    expect(Array.from((w.get('adapter.0.encoder.layer.0.output.LayerNorm.weight') as tf.Tensor).dataSync())).toEqual(
      new Array(128).fill(1),
    );
    // the same seed gives the same draw
    const second = KAdapterStack.create('x', config, 256, { seed: 42 });
    const again = second.weights();
    expect(Array.from((again.get('adapter.1.up_project.weight') as tf.Tensor).dataSync())).toEqual(
      Array.from((w.get('adapter.1.up_project.weight') as tf.Tensor).dataSync()),
    );
    expect(stack.trainableVariables()).toHaveLength(2 * 36);
    const frozen = KAdapterStack.create('y', config, 256, { trainable: false });
    expect(frozen.trainableVariables()).toHaveLength(0);
    tf.dispose([...w.values(), ...again.values()]);
    for (const s of [stack, second, frozen]) s.dispose();
  });
});
