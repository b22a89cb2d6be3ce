import { isKAdapterError } from '@kadapter/core';
import { fixtureVectors, fixtureWeights } from '@kadapter/test-fixtures';
import { describeBackends, EXACT, expectClose, expectError, PARITY } from '@kadapter/test-utils';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { addFusion, concatFusion, createFusion, fusionFromWeights } from '../src/index.js';
import { refAdd, refCat, refLinear, refScale, toRows } from './reference.js';

const H = 64;

describeBackends('concat fusion', () => {
  let v: Map<string, tf.Tensor>;
  let w: Map<string, tf.Tensor>;
  let last: tf.Tensor3D;
  let outs: Record<string, tf.Tensor3D>;
  beforeAll(async () => {
    v = await fixtureVectors('core.');
    w = await fixtureWeights(['fusion', 'model.safetensors']);
    last = v.get('core.hidden_states.4') as tf.Tensor3D;
    outs = { fac: v.get('core.fac.adapter_out') as tf.Tensor3D, lin: v.get('core.lin.adapter_out') as tf.Tensor3D };
  });
  afterAll(() => {
    for (const t of [...v.values(), ...w.values()]) t.dispose();
  });

  const only = (names: string[]) => new Map([...w].filter(([n]) => names.some((p) => n.startsWith(`${p}.`))));

  it('both adapters: official task_dense(cat[task_dense_fac(cat[h,fac]), task_dense_lin(cat[h,lin])])', () => {
    const f = fusionFromWeights(
      concatFusion,
      { kind: 'concat', adapters: ['fac', 'lin'], hiddenSize: H },
      w,
      'fusion/model.safetensors',
    );
    const out = f.apply(last, outs);
    expectClose(out, v.get('core.fusion.concat_both') as tf.Tensor, 'concat_both', PARITY);
    out.dispose();
    f.dispose();
  });

  for (const a of ['fac', 'lin'] as const) {
    it(`single ${a}: RobertaModelwithAdapter's task_dense_${a}(cat[h, ${a}])`, () => {
      const f = fusionFromWeights(
        concatFusion,
        { kind: 'concat', adapters: [a], hiddenSize: H },
        only([`task_dense_${a}`]),
        'fusion',
      );
      const out = f.apply(last, { [a]: outs[a] as tf.Tensor3D });
      expectClose(out, v.get(`core.fusion.single_${a}`) as tf.Tensor, `single_${a}`, PARITY);
      expectClose(out, v.get(`core.fusion.${a}_features`) as tf.Tensor, `${a}_features`, PARITY);
      out.dispose();
      f.dispose();
    });
  }

  it('three adapters: per-adapter linears, then Linear(3H→H) over their concatenation', () => {
    const h = 8;
    const cfg = { kind: 'concat' as const, adapters: ['a', 'b', 'c'], hiddenSize: h };
    const f = createFusion(concatFusion, cfg, { seed: 3 });
    const x = tf.randomNormal([2, 3, h], 0, 1, 'float32', 1) as tf.Tensor3D;
    const ins = Object.fromEntries(
      cfg.adapters.map((n, i) => [n, tf.randomNormal([2, 3, h], 0, 1, 'float32', 10 + i) as tf.Tensor3D]),
    );
    const ws = f.weights();
    const g = (n: string) => ws.get(n) as tf.Tensor;
    const feats = cfg.adapters.map((n) =>
      refLinear(refCat(toRows(x), toRows(ins[n] as tf.Tensor)), g(`task_dense_${n}.weight`), g(`task_dense_${n}.bias`)),
    );
    const expected = refLinear(refCat(...feats), g('task_dense.weight'), g('task_dense.bias'));
    expect([...ws.keys()].sort()).toEqual(
      [
        'task_dense.bias',
        'task_dense.weight',
        ...cfg.adapters.flatMap((n) => [`task_dense_${n}.bias`, `task_dense_${n}.weight`]),
      ].sort(),
    );
    expect(ws.get('task_dense.weight')?.shape).toEqual([h, 3 * h]);
    const out = f.apply(x, ins);
    expectClose(toRows(out).flat(), expected.flat(), 'three adapters', PARITY);
    expect(f.trainableVariables()).toHaveLength(8);
    tf.dispose([x, ins, ...ws.values(), out]);
    f.dispose();
  });

  it('as-released CosmosQA inner projection: task_dense_n(cat[h, inner_n(cat[a·h, b·x_n])])', async () => {
    const innerW = await fixtureWeights(['heads', 'cosmosqa_inner_task_dense.safetensors']);
    const named = new Map([...w, ...innerW]);
    const cfg = {
      kind: 'concat' as const,
      adapters: ['fac', 'lin'],
      hiddenSize: H,
      innerProjection: { aRate: 0.5, bRate: 2 },
    };
    const f = fusionFromWeights(concatFusion, cfg, named, 'fusion + inner');
    const g = (n: string) => named.get(n) as tf.Tensor;
    const h = toRows(last);
    const feats = cfg.adapters.map((n) => {
      const a = toRows(outs[n] as tf.Tensor);
      const x = refLinear(
        refCat(refScale(h, 0.5), refScale(a, 2)),
        g(`${n}_adapter.task_dense.weight`),
        g(`${n}_adapter.task_dense.bias`),
      );
      return refLinear(refCat(h, x), g(`task_dense_${n}.weight`), g(`task_dense_${n}.bias`));
    });
    const expected = refLinear(refCat(...feats), g('task_dense.weight'), g('task_dense.bias'));
    const out = f.apply(last, outs);
    expectClose(toRows(out).flat(), expected.flat(), 'inner projection', PARITY);
    out.dispose();
    f.dispose();
    for (const t of innerW.values()) t.dispose();
  });

  it('weights round-trip: a fusion rebuilt from its own weights gives the same output', () => {
    const cfg = { kind: 'concat' as const, adapters: ['fac', 'lin'], hiddenSize: H };
    const a = createFusion(concatFusion, cfg, { seed: 7 });
    const ws = a.weights();
    const b = fusionFromWeights(concatFusion, cfg, ws, 'roundtrip');
    const [outB, outA] = [b.apply(last, outs), a.apply(last, outs)];
    expectClose(outB, outA, 'roundtrip', EXACT);
    tf.dispose([...ws.values(), outA, outB]);
    a.dispose();
    b.dispose();
  });

  it('refuses missing or foreign adapter outputs, naming them', () => {
    const f = createFusion(concatFusion, { kind: 'concat', adapters: ['fac', 'lin'], hiddenSize: H });
    expect(() => f.apply(last, { fac: outs.fac as tf.Tensor3D })).toThrow(/missing lin/);
    expect(() => f.apply(last, { ...outs, et: outs.fac as tf.Tensor3D })).toThrow(/not part of this fusion: et/);
    f.dispose();
  });

  it('refuses weights with a missing tensor, naming it', () => {
    const partial = new Map([...w].filter(([n]) => n !== 'task_dense.bias'));
    try {
      fusionFromWeights(
        concatFusion,
        { kind: 'concat', adapters: ['fac', 'lin'], hiddenSize: H },
        partial,
        'fusion/model.safetensors',
      );
      expect.unreachable();
    } catch (err) {
      expect(isKAdapterError(err, 'E_MISSING_TENSOR')).toBe(true);
      expect(String(err)).toContain('task_dense.bias');
      expect(String(err)).toContain('fusion/model.safetensors');
    }
  });
});

describeBackends('add fusion', () => {
  it('h + Σ adapters, no parameters', () => {
    const x = tf.randomNormal([2, 3, 4], 0, 1, 'float32', 1) as tf.Tensor3D;
    const a = tf.randomNormal([2, 3, 4], 0, 1, 'float32', 2) as tf.Tensor3D;
    const b = tf.randomNormal([2, 3, 4], 0, 1, 'float32', 3) as tf.Tensor3D;
    const f = createFusion(addFusion, { kind: 'add', adapters: ['a', 'b'] });
    const out = f.apply(x, { a, b });
    expectClose(toRows(out).flat(), refAdd(toRows(x), toRows(a), toRows(b)).flat(), 'add', PARITY);
    expect(f.trainableVariables()).toHaveLength(0);
    tf.dispose([x, a, b, out]);
    f.dispose();
  });

  it('from weights: it has none, so tensors given for it are refused (not silently dropped)', async () => {
    const config = { kind: 'add' as const, adapters: ['a', 'b'] };
    expect(fusionFromWeights(addFusion, config, new Map(), 'none.safetensors').kind).toBe('add');
    const named = new Map([['task_dense.weight', tf.zeros([4, 8])]]);
    await expectError(
      () => fusionFromWeights(addFusion, config, named, 'fusion.safetensors'),
      'E_UNEXPECTED_TENSOR',
      'fusion.safetensors',
      'unexpected 1: task_dense.weight',
    );
    tf.dispose([...named.values()]);
  });
});
