import { isKAdapterError } from '@kadapter/core';
import { afterAll, describe, expect, it } from 'vitest';
import {
  Graph,
  GraphFunction,
  type GraphTensor,
  gradients,
  graphOps as o,
  OrtEngine,
  ortTensor,
} from '../src/index.js';
import { uniform } from './support.js';

const engine = new OrtEngine({ threads: 1 });
const functions: GraphFunction[] = [];
afterAll(async () => {
  for (const f of functions) await f.dispose();
});
function traced(...args: ConstructorParameters<typeof GraphFunction> extends [unknown, ...infer R] ? R : never) {
  const fn = new GraphFunction(engine, ...args);
  functions.push(fn);
  return fn;
}

describe('graph building', () => {
  it('keeps only the nodes the requested outputs need', () => {
    const g = new Graph();
    const x = g.input('x', [3, 4], 'float32');
    const w = g.input('w', [4, 2], 'float32');
    const unused = g.input('unused', [3], 'float32');
    const y = o.linear(x, w);
    o.softmax(o.exp(y)); // traced but never asked for
    o.neg(unused);
    const [dw] = gradients(o.sum(o.tanh(y)), [w]);
    const forward = g.build(new Map([['y', y]]));
    const withGrad = g.build(new Map([['dw', dw as GraphTensor]]));
    expect(forward.nodeCount).toBe(1); // MatMul
    expect(forward.inputs).toEqual(['x', 'w']);
    expect(withGrad.inputs).toEqual(['x', 'w']);
    // tanh, sum, the seed's backward (expand, tanh'), transpose and matmul for dW: no softmax, no dX
    const all = g.build(
      new Map([
        ['dw', dw as GraphTensor],
        ['y', y],
      ]),
    );
    expect(all.nodeCount).toBe(withGrad.nodeCount);
  });

  it('gives no gradient where the loss does not depend on a tensor', () => {
    const g = new Graph();
    const a = g.input('a', [2], 'float32');
    const b = g.input('b', [2], 'float32');
    const [da, db] = gradients(o.sum(o.mul(a, a)), [a, b]);
    expect(da?.shape).toEqual([2]);
    expect(db).toBeUndefined();
  });

  it('rejects a non-scalar loss, mismatched shapes and repeated axes with typed errors', () => {
    const g = new Graph();
    const a = g.input('a', [2, 3], 'float32');
    const b = g.input('b', [4, 3], 'float32');
    for (const bad of [
      () => gradients(a, [a]),
      () => o.add(a, b),
      () => o.matmul(a, b),
      () => o.sum(a, [1, -1]),
      () => o.reshape(a, [4, -1]),
      () => o.slice(a, [0, 2], [2, 2]),
      () => o.transpose(a, [0, 0]),
    ]) {
      let err: unknown;
      try {
        bad();
      } catch (e) {
        err = e;
      }
      expect(isKAdapterError(err), String(err)).toBe(true);
    }
  });
});

describe('graph functions', () => {
  it('trace once per input signature and reuse the session', async () => {
    let traces = 0;
    const fn = traced((ops, x) => {
      traces++;
      return { y: ops.mul(ops.sum(x.a as GraphTensor, -1), 2) };
    });
    const run = (rows: number, seed: number) => {
      const a = uniform(rows * 3, seed);
      return fn.run({ a: ortTensor(a, [rows, 3]) }).then((r) => ({ a, y: r.y?.data as Float32Array }));
    };
    const first = await run(2, 1);
    await run(2, 2);
    const other = await run(5, 3);
    expect(traces).toBe(2);
    expect(fn.signatures).toBe(2);
    for (const { a, y } of [first, other]) {
      y.forEach((v, r) => {
        const want =
          2 * Math.fround(Math.fround((a[3 * r] as number) + (a[3 * r + 1] as number)) + (a[3 * r + 2] as number));
        expect(v).toBeCloseTo(want, 5);
      });
    }
  });

  it('returns inputs, constants and repeated values as outputs', async () => {
    const fn = traced((ops, x) => {
      const a = x.a as GraphTensor;
      const y = ops.add(a, 1);
      return { a, y, again: y };
    });
    const out = await fn.run({ a: ortTensor(new Float32Array([1, 2]), [2]) });
    expect([...(out.a!.data as Float32Array)]).toEqual([1, 2]);
    expect([...(out.y!.data as Float32Array)]).toEqual([2, 3]);
    expect([...(out.again!.data as Float32Array)]).toEqual([2, 3]);
  });

  it('names an input the trace reads but nobody fed', async () => {
    const fn = traced((ops, x) => ({ y: ops.add(x.a as GraphTensor, x.b as GraphTensor) }));
    await expect(fn.run({ a: ortTensor(new Float32Array([1]), [1]) })).rejects.toMatchObject({
      code: 'E_INPUT',
      message: expect.stringContaining("'b'"),
    });
  });

  it('rejects feeds of other element types', async () => {
    const fn = traced((_ops, x) => ({ y: x.a as GraphTensor }));
    const { Tensor } = await import('onnxruntime-node');
    await expect(fn.run({ a: new Tensor('float64', new Float64Array([1]), [1]) })).rejects.toMatchObject({
      code: 'E_INPUT',
    });
  });
});

describe('dropout', () => {
  const shape = [64, 64];
  const x = uniform(64 * 64, 5, 0.5, 1.5);
  const w = uniform(64 * 64, 6, -1, 1);
  const rate = 0.3;
  const trace = () =>
    traced((ops, inp) => {
      const y = ops.dropout(inp.x as GraphTensor, rate, 1234);
      const [dx] = gradients(ops.sum(ops.mul(y, inp.w as GraphTensor)), [inp.x as GraphTensor]);
      return { y, dx: dx as GraphTensor };
    });
  const feeds = { x: ortTensor(x, shape), w: ortTensor(w, shape) };

  it('keeps 1 - rate of the elements, scaled by 1/(1 - rate), and routes the gradient through the same mask', async () => {
    const out = await trace().run(feeds);
    const y = out.y?.data as Float32Array;
    const dx = out.dx?.data as Float32Array;
    let kept = 0;
    y.forEach((v, i) => {
      if (v === 0) {
        expect(Math.abs(dx[i] as number)).toBe(0);
        return;
      }
      kept++;
      expect(v).toBeCloseTo((x[i] as number) / (1 - rate), 5);
      expect(dx[i]).toBeCloseTo((w[i] as number) / (1 - rate), 5);
    });
    // 4096 Bernoulli(0.7) draws: 5 standard deviations is ±0.036
    expect(Math.abs(kept / y.length - (1 - rate))).toBeLessThan(0.036);
  });

  it('draws a new mask at every run, the same sequence for the same seed', async () => {
    const masks = async () => {
      const fn = trace();
      const out: string[] = [];
      for (let i = 0; i < 2; i++)
        out.push([...((await fn.run(feeds)).y!.data as Float32Array)].map((v) => (v === 0 ? 0 : 1)).join(''));
      return out;
    };
    const [a, b] = [await masks(), await masks()];
    expect(a[0]).not.toBe(a[1]);
    expect(b).toEqual(a);
  });
});
