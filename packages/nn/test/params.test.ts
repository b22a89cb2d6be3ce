import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import {
  attentionDef,
  bertLayerDef,
  init,
  leaves,
  linearDef,
  list,
  normalLinearDef,
  ParamSet,
  prefixed,
  record,
  tensor,
  weightSpec,
} from '../src/index.js';

describe('block definitions', () => {
  it('name tensors as PyTorch does: prefixes, list indices, renamed children', () => {
    const def = prefixed(
      'adapter',
      list(2, () =>
        record({
          down_project: linearDef(8, 4),
          encoder: prefixed(
            'encoder.layer',
            list(1, () => bertLayerDef(4, 6)),
          ),
        }),
      ),
    );
    const names = leaves(def).map((l) => l.name);
    expect(names).toContain('adapter.1.down_project.weight');
    expect(names).toContain('adapter.0.encoder.layer.0.attention.self.query.bias');
    expect(names).toContain('adapter.0.encoder.layer.0.attention.output.LayerNorm.weight');
    expect(names).toContain('adapter.1.encoder.layer.0.output.dense.weight');
    expect(names.length).toBe(2 * (2 + 16));
  });

  it('give file shapes in PyTorch layout (linear weights transposed)', () => {
    const spec = weightSpec(record({ d: linearDef(5, 3), t: tensor([2, 7], init.zeros) }));
    expect(spec.get('d.weight')).toEqual([3, 5]);
    expect(spec.get('d.bias')).toEqual([3]);
    expect(spec.get('t')).toEqual([2, 7]);
  });

  it('omit the bias of a linear without one', () => {
    expect(leaves(linearDef(3, 2, { bias: false })).map((l) => l.name)).toEqual(['weight']);
  });
});

describe('ParamSet', () => {
  const def = record({
    attention: attentionDef(8),
    proj: normalLinearDef(8, 4, 0.5),
    fixed: linearDef(4, 4, { init: { weight: init.eye, bias: init.zeros } }),
  });

  it('initialises reproducibly from a seed, and differently from another seed', () => {
    const a = ParamSet.create(def, { seed: 3 });
    const b = ParamSet.create(def, { seed: 3 });
    const c = ParamSet.create(def, { seed: 4 });
    const q = (s: ParamSet<typeof def>) => Array.from(s.params.attention.query.weight.dataSync());
    expect(q(a)).toEqual(q(b));
    expect(q(a)).not.toEqual(q(c));
    for (const s of [a, b, c]) s.dispose();
  });

  it('draws each tensor from its initialiser', () => {
    const s = ParamSet.create(def, { seed: 1 });
    const p = s.params;
    const bound = 1 / Math.sqrt(8);
    const w = p.attention.key.weight.dataSync();
    expect(Math.max(...w)).toBeLessThanOrEqual(bound);
    expect(Math.min(...w)).toBeGreaterThanOrEqual(-bound);
    expect(Array.from(p.attention.outputLayerNorm.weight.dataSync())).toEqual(Array(8).fill(1));
    expect(Array.from(p.proj.bias?.dataSync() ?? [])).toEqual(Array(4).fill(0));
    const std = tf.tidy(() => tf.moments(p.proj.weight).variance.sqrt().dataSync()[0] as number);
    expect(std).toBeGreaterThan(0.4);
    expect(std).toBeLessThan(0.6);
    expect(p.fixed.weight.arraySync()).toEqual(tf.eye(4).arraySync());
    s.dispose();
  });

  it('round-trips through PyTorch-named weights, and holds variables only when trainable', () => {
    const s = ParamSet.create(def, { seed: 2 });
    expect(s.trainable).toBe(true);
    expect(s.trainableVariables().length).toBe(leaves(def).length);
    const named = s.weights();
    expect(named.get('attention.self.value.weight')?.shape).toEqual([8, 8]);
    expect(named.get('proj.weight')?.shape).toEqual([4, 8]);
    const frozen = ParamSet.fromWeights(def, named, 'mem');
    expect(frozen.trainable).toBe(false);
    expect(frozen.trainableVariables()).toEqual([]);
    expect(frozen.params.proj.weight.arraySync()).toEqual(s.params.proj.weight.arraySync());
    frozen.unfreeze();
    expect(frozen.namedVariables().get('proj.weight')).toBeInstanceOf(tf.Variable);
    for (const t of named.values()) t.dispose();
    s.dispose();
    frozen.dispose();
  });

  it('reads a source one tensor at a time and releases what it read', async () => {
    const s = ParamSet.create(def, { seed: 5 });
    const named = s.weights();
    const read: string[] = [];
    const before = tf.memory().numTensors;
    const loaded = await ParamSet.read(def, {
      path: 'mem.safetensors',
      entries: named,
      readTensor: async (name) => {
        read.push(name);
        return tf.clone(named.get(name) as tf.Tensor);
      },
    });
    expect(read).toEqual(leaves(def).map((l) => l.name));
    expect(tf.memory().numTensors - before).toBe(leaves(def).length);
    expect(loaded.params.attention.query.weight.arraySync()).toEqual(s.params.attention.query.weight.arraySync());
    loaded.dispose();
    for (const t of named.values()) t.dispose();
    s.dispose();
  });

  it('releases a stored tensor it had to cast to float32', async () => {
    const small = record({ scale: tensor([2], init.ones) });
    const before = tf.memory().numTensors;
    const loaded = await ParamSet.read(small, {
      path: 'mem.safetensors',
      entries: new Map([['scale', { shape: [2] }]]),
      readTensor: async () => tf.tensor1d([3, 4], 'int32'),
    });
    expect(loaded.params.scale.dtype).toBe('float32');
    expect(loaded.params.scale.arraySync()).toEqual([3, 4]);
    expect(tf.memory().numTensors - before).toBe(1);
    loaded.dispose();
  });
});
