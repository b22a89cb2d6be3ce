import { type Ops, tfOps } from '@kadapter/nn';
import * as tf from '@tensorflow/tfjs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GraphFunction, type GraphTensor, gradients, OrtEngine } from '../src/index.js';
import { type Data, expectRel, fromTf, onTfCpu, sizeOf, toOrt, toTf, uniform } from './support.js';

/*
 * Every op of the vocabulary on random shapes and values: the forward against tfOps and the
 * gradient of sum(op(...)·w) (w random) against tfjs autodiff over tfOps, on tfjs' cpu backend.
 */

const engine = new OrtEngine({ threads: 1 });

type Inputs = Record<string, Data>;

interface OpCase {
  name: string;
  inputs: fc.Arbitrary<Inputs>;
  /** `s`: the static arguments (axes, permutations, flags), read while tracing, never fed */
  apply: <T>(o: Ops<T>, x: Readonly<Record<string, T>>, s: Inputs) => T;
  /** inputs that get gradients (none: forward only) */
  diff: readonly string[];
}

const seed = fc.integer({ min: 1, max: 2 ** 30 });
const dim = fc.integer({ min: 1, max: 4 });
const shape = (minRank: number, maxRank: number) => fc.array(dim, { minLength: minRank, maxLength: maxRank });

const floats = (s: number[], sd: number, lo = -2, hi = 2): Data => ({
  shape: s,
  values: uniform(sizeOf(s), sd, lo, hi),
});
/** values with |v| in [gap, gap + span]: away from kinks (abs, relu) and poles (div) */
const awayFromZero = (s: number[], sd: number, gap: number, span = 1.5): Data => ({
  shape: s,
  values: uniform(sizeOf(s), sd, -span, span).map((v) => v + Math.sign(v || 1) * gap),
});
const ints = (s: number[], sd: number, lo: number, hi: number): Data => ({
  shape: s,
  values: Int32Array.from(uniform(sizeOf(s), sd, lo, hi), Math.floor),
});

/** Two shapes that broadcast (either may be the smaller one). */
const broadcastPair = fc
  .record({
    full: shape(0, 4),
    drop: fc.nat(4),
    ones: fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }),
    swap: fc.boolean(),
  })
  .map(({ full, drop, ones, swap }) => {
    const small = full.slice(Math.min(drop, full.length)).map((d, i) => (ones[i] ? 1 : d));
    return swap ? [small, full] : [full, small];
  });

const binaryInputs = (denominator = false) =>
  fc.record({ shapes: broadcastPair, sd: seed }).map(({ shapes: [sa, sb], sd }) => ({
    a: floats(sa as number[], sd),
    b: denominator ? awayFromZero(sb as number[], sd + 1, 0.5) : floats(sb as number[], sd + 1),
  }));

const unaryInputs = (make: (s: number[], sd: number) => Data) =>
  fc.record({ s: shape(0, 4), sd: seed }).map(({ s, sd }) => ({ x: make(s, sd) }));

const cases: OpCase[] = [
  { name: 'add', inputs: binaryInputs(), apply: (o, x) => o.add(x.a!, x.b!), diff: ['a', 'b'] },
  { name: 'sub', inputs: binaryInputs(), apply: (o, x) => o.sub(x.a!, x.b!), diff: ['a', 'b'] },
  { name: 'mul', inputs: binaryInputs(), apply: (o, x) => o.mul(x.a!, x.b!), diff: ['a', 'b'] },
  { name: 'div', inputs: binaryInputs(true), apply: (o, x) => o.div(x.a!, x.b!), diff: ['a', 'b'] },
  {
    name: 'number operands',
    inputs: binaryInputs(true),
    apply: (o, x) => o.add(o.mul(o.sub(1.5, x.a!), 0.25), o.div(-2, x.b!)),
    diff: ['a', 'b'],
  },
  { name: 'neg', inputs: unaryInputs((s, sd) => floats(s, sd)), apply: (o, x) => o.neg(x.x!), diff: ['x'] },
  { name: 'exp', inputs: unaryInputs((s, sd) => floats(s, sd)), apply: (o, x) => o.exp(x.x!), diff: ['x'] },
  { name: 'log', inputs: unaryInputs((s, sd) => floats(s, sd, 0.1, 3)), apply: (o, x) => o.log(x.x!), diff: ['x'] },
  {
    name: 'log1p',
    inputs: unaryInputs((s, sd) => floats(s, sd, -0.9, 3)),
    apply: (o, x) => o.log1p(x.x!),
    diff: ['x'],
  },
  { name: 'sqrt', inputs: unaryInputs((s, sd) => floats(s, sd, 0.1, 3)), apply: (o, x) => o.sqrt(x.x!), diff: ['x'] },
  { name: 'abs', inputs: unaryInputs((s, sd) => awayFromZero(s, sd, 0.05)), apply: (o, x) => o.abs(x.x!), diff: ['x'] },
  { name: 'erf', inputs: unaryInputs((s, sd) => floats(s, sd)), apply: (o, x) => o.erf(x.x!), diff: ['x'] },
  { name: 'tanh', inputs: unaryInputs((s, sd) => floats(s, sd)), apply: (o, x) => o.tanh(x.x!), diff: ['x'] },
  {
    name: 'relu',
    inputs: unaryInputs((s, sd) => awayFromZero(s, sd, 0.05)),
    apply: (o, x) => o.relu(x.x!),
    diff: ['x'],
  },
  ...(['sum', 'mean'] as const).map(
    (op): OpCase => ({
      name: op,
      inputs: fc
        .record({
          s: shape(1, 4),
          sd: seed,
          pick: fc.array(fc.integer({ min: -4, max: 3 }), { maxLength: 3 }),
          all: fc.boolean(),
          keep: fc.boolean(),
        })
        .map(({ s, sd, pick, all, keep }) => {
          const valid = pick.filter((a) => a < s.length && a >= -s.length);
          // distinct axes (an axis named twice, e.g. -1 and rank-1, is an error)
          const axes = all
            ? []
            : valid.filter(
                (a, i) => valid.findIndex((b) => (b + s.length) % s.length === (a + s.length) % s.length) === i,
              );
          return {
            x: floats(s, sd),
            axes: { shape: [axes.length], values: Int32Array.from(axes) },
            keep: ints([], keep ? 1 : 0, keep ? 1 : 0, keep ? 1 : 0),
          };
        }),
      apply: (o, x, s) => o[op](x.x!, axesOf(s), s.keep!.values[0] === 1),
      diff: ['x'],
    }),
  ),
  {
    name: 'matmul',
    inputs: fc
      .record({ lead: shape(0, 2), m: dim, k: dim, n: dim, tb: fc.boolean(), sd: seed })
      .map(({ lead, m, k, n, tb, sd }) => ({
        a: floats([...lead, m, k], sd),
        b: floats(tb ? [...lead, n, k] : [...lead, k, n], sd + 1),
        tb: ints([], tb ? 1 : 0, tb ? 1 : 0, tb ? 1 : 0),
      })),
    apply: (o, x, s) => o.matmul(x.a!, x.b!, s.tb!.values[0] === 1),
    diff: ['a', 'b'],
  },
  {
    name: 'linear',
    inputs: fc.record({ lead: shape(0, 2), i: dim, out: dim, sd: seed }).map(({ lead, i, out, sd }) => ({
      x: floats([...lead, i], sd),
      w: floats([i, out], sd + 1),
      b: floats([out], sd + 2),
    })),
    apply: (o, x) => o.linear(x.x!, x.w!, x.b!),
    diff: ['x', 'w', 'b'],
  },
  {
    name: 'linear without bias',
    inputs: fc
      .record({ lead: shape(1, 2), i: dim, out: dim, sd: seed })
      .map(({ lead, i, out, sd }) => ({ x: floats([...lead, i], sd), w: floats([i, out], sd + 1) })),
    apply: (o, x) => o.linear(x.x!, x.w!),
    diff: ['x', 'w'],
  },
  {
    name: 'softmax',
    inputs: unaryInputs((s, sd) => floats(s.length ? s : [3], sd, -3, 3)),
    apply: (o, x) => o.softmax(x.x!),
    diff: ['x'],
  },
  {
    name: 'logSoftmax',
    inputs: unaryInputs((s, sd) => floats(s.length ? s : [3], sd, -3, 3)),
    apply: (o, x) => o.logSoftmax(x.x!),
    diff: ['x'],
  },
  {
    name: 'layerNorm',
    inputs: fc.record({ lead: shape(0, 2), d: fc.integer({ min: 3, max: 8 }), sd: seed }).map(({ lead, d, sd }) => ({
      x: floats([...lead, d], sd),
      w: floats([d], sd + 1, 0.5, 1.5),
      b: floats([d], sd + 2),
    })),
    apply: (o, x) => o.layerNorm(x.x!, x.w!, x.b!, 1e-5),
    diff: ['x', 'w', 'b'],
  },
  {
    name: 'gather',
    inputs: fc
      .record({ rows: dim, d: dim, ids: shape(0, 2), sd: seed })
      .map(({ rows, d, ids, sd }) => ({ table: floats([rows, d], sd), ids: ints(ids, sd + 1, 0, rows) })),
    apply: (o, x) => o.gather(x.table!, x.ids!),
    diff: ['table'],
  },
  {
    name: 'oneHot (ids out of range give zero rows)',
    inputs: fc.record({ ids: shape(0, 2), sd: seed }).map(({ ids, sd }) => ({ ids: ints(ids, sd, -2, 6) })),
    apply: (o, x) => o.oneHot(x.ids!, 4),
    diff: [],
  },
  {
    name: 'cast float32 -> int32 (toward zero) -> float32',
    inputs: unaryInputs((s, sd) => floats(s, sd, -5, 5)),
    apply: (o, x) => o.cast(o.cast(x.x!, 'int32'), 'float32'),
    diff: [],
  },
  {
    name: 'reshape',
    inputs: fc
      .record({ s: shape(1, 4), sd: seed, cut: fc.nat(3), infer: fc.boolean() })
      .map(({ s, sd, cut, infer }) => {
        // merge the axes after `cut` into one, maybe as -1
        const c = Math.min(cut, s.length - 1);
        const target = [...s.slice(0, c), infer ? -1 : sizeOf(s.slice(c))];
        return { x: floats(s, sd), target: { shape: [target.length], values: Int32Array.from(target) } };
      }),
    apply: (o, x, s) => o.reshape(x.x!, [...s.target!.values]),
    diff: ['x'],
  },
  {
    name: 'transpose',
    inputs: shape(1, 4).chain((s) =>
      fc
        .record({
          perm: fc.shuffledSubarray(
            s.map((_, i) => i),
            { minLength: s.length, maxLength: s.length },
          ),
          sd: seed,
        })
        .map(({ perm, sd }) => ({ x: floats(s, sd), perm: { shape: [perm.length], values: Int32Array.from(perm) } })),
    ),
    apply: (o, x, s) => o.transpose(x.x!, [...s.perm!.values]),
    diff: ['x'],
  },
  {
    name: 'concat',
    inputs: fc
      .record({ s: shape(1, 3), axis: fc.nat(2), sizes: fc.array(dim, { minLength: 1, maxLength: 3 }), sd: seed })
      .map(({ s, axis, sizes, sd }) => {
        const a = axis % s.length;
        const out: Inputs = { axis: ints([], a, a, a) };
        sizes.forEach((n, i) => {
          const si = [...s];
          si[a] = n;
          out[`x${i}`] = floats(si, sd + i);
        });
        return out;
      }),
    apply: (o, x, s) =>
      o.concat(
        Object.keys(x)
          .filter((k) => k.startsWith('x'))
          .sort()
          .map((k) => x[k]!),
        s.axis!.values[0] as number,
      ),
    diff: ['x0', 'x1', 'x2'],
  },
  {
    name: 'slice',
    inputs: shape(1, 4).chain((s) =>
      fc
        .record({
          begin: fc.tuple(...s.map((d) => fc.integer({ min: 0, max: d - 1 }))),
          frac: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: s.length, maxLength: s.length }),
          rest: fc.array(fc.boolean(), { minLength: s.length, maxLength: s.length }),
          sd: seed,
        })
        .map(({ begin, frac, rest, sd }) => {
          const size = s.map((d, i) =>
            rest[i] ? -1 : 1 + Math.floor((frac[i] as number) * (d - (begin[i] as number) - 1)),
          );
          return {
            x: floats(s, sd),
            begin: { shape: [s.length], values: Int32Array.from(begin) },
            size: { shape: [s.length], values: Int32Array.from(size) },
          };
        }),
    ),
    apply: (o, x, s) => o.slice(x.x!, [...s.begin!.values], [...s.size!.values]),
    diff: ['x'],
  },
];

/** Host-side arguments of the ops (read while tracing, not fed to the graph). */
const STATIC = new Set(['axes', 'keep', 'tb', 'target', 'perm', 'axis', 'begin', 'size']);

function axesOf(s: Inputs): number[] | undefined {
  const a = [...s.axes!.values];
  return a.length === 0 ? undefined : a;
}

function split(all: Inputs): { data: Inputs; statics: Inputs } {
  const pick = (keep: boolean) => Object.fromEntries(Object.entries(all).filter(([k]) => STATIC.has(k) === keep));
  return { data: pick(false), statics: pick(true) };
}

async function check(c: OpCase, all: Inputs): Promise<void> {
  const { data, statics } = split(all);
  const diff = c.diff.filter((k) => k in data);
  const ref = await onTfCpu(() => {
    const xs = Object.fromEntries(Object.entries(data).map(([k, d]) => [k, toTf(d)]));
    const y = c.apply(tfOps, xs, statics);
    if (diff.length === 0) return { y: fromTf(y) };
    const w = tf.tensor(uniform(y.size, 7, -1, 1), y.shape);
    const loss = (...args: tf.Tensor[]) => {
      const ys = { ...xs, ...Object.fromEntries(diff.map((k, i) => [k, args[i] as tf.Tensor])) };
      return tf.sum(tf.mul(c.apply(tfOps, ys, statics), w));
    };
    const grads = tf.grads(loss)(diff.map((k) => xs[k] as tf.Tensor));
    return { y: fromTf(y), w: fromTf(w), grads: grads.map(fromTf) };
  });
  // a new function per case: the static arguments are not part of the session cache key
  const fn = new GraphFunction(engine, (o, x) => {
    const y = c.apply(o, x, statics);
    if (!('__w' in x)) return { y };
    const w = x.__w as GraphTensor;
    const grads = gradients(
      o.sum(o.mul(y, w)),
      diff.map((k) => x[k]!),
    );
    const out: Record<string, GraphTensor> = { y };
    diff.forEach((k, i) => {
      const g = grads[i];
      if (g !== undefined) out[`d_${k}`] = g;
    });
    return out;
  });
  try {
    const feeds = Object.fromEntries(Object.entries(data).map(([k, d]) => [k, toOrt(d)]));
    if (ref.w) feeds.__w = toOrt(ref.w);
    const out = await fn.run(feeds);
    expectRel(out.y!, ref.y, `${c.name} forward`);
    diff.forEach((k, i) => {
      expect(out[`d_${k}`], `${c.name}: gradient of ${k}`).toBeDefined();
      expectRel(out[`d_${k}`]!, ref.grads![i]!, `${c.name} gradient of ${k}`);
    });
  } finally {
    await fn.dispose();
  }
}

describe('ops on ONNX Runtime against tfjs (cpu) and its autodiff, random shapes and values', () => {
  for (const c of cases) {
    it(c.name, async () => {
      await fc.assert(
        fc.asyncProperty(c.inputs, (inputs) => check(c, inputs)),
        { numRuns: 30 },
      );
    });
  }
});
