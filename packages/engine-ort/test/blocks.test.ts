import {
  additiveMask,
  attentionDef,
  bertLayer,
  bertLayerDef,
  type Def,
  leaves,
  type Ops,
  type Params,
  ParamSet,
  selfAttention,
  tfOps,
} from '@kadapter/nn';
import * as tf from '@tensorflow/tfjs';
import { useBackend } from '@kadapter/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GraphFunction, type GraphTensor, gradients, OrtEngine, paramTree } from '../src/index.js';
import { type Data, expectRel, fromTf, onTfCpu, sizeOf, toOrt, uniform } from './support.js';

/*
 * The nn blocks, written once against the op vocabulary, traced through the engine: forward and
 * the gradients of every parameter and of the input against tfjs (cpu) autodiff over tfOps, with
 * random parameters from ParamSet.create.
 */

const engine = new OrtEngine({ threads: 1 });
const functions: GraphFunction[] = [];
beforeAll(() => useBackend('cpu'));
afterAll(async () => {
  for (const f of functions) await f.dispose();
});

const [B, L, H, HEADS, FFN] = [2, 5, 16, 4, 24];
const x: Data = { shape: [B, L, H], values: uniform(B * L * H, 11, -1.5, 1.5) };
// row 1 has two padding positions
const mask: Data = { shape: [B, L], values: Int32Array.from([1, 1, 1, 1, 1, 1, 1, 1, 0, 0]) };

/** A block's outputs (named) from its input, parameters and additive mask, on either engine. */
type Block<D extends Def> = <T>(o: Ops<T>, x: T, p: Params<D, T>, mask: T) => Record<string, T>;

interface Reference {
  outputs: Record<string, Data>;
  weights: Record<string, Data>;
  grads: Map<string, Data>;
}

/** tfjs: the outputs and the gradients of Σ_k sum(out_k · w_k) w.r.t. x and every parameter. */
async function reference<D extends Def>(def: D, set: ParamSet<D>, block: Block<D>): Promise<Reference> {
  const named = set.named();
  const names = leaves(def).map((l) => l.name);
  return onTfCpu(() => {
    const run = (xt: tf.Tensor, ps: tf.Tensor[]) => {
      const p = paramTree(def, (leaf) => ps[names.indexOf(leaf.name)] as tf.Tensor);
      return block(tfOps, xt, p, additiveMask(tfOps, tf.tensor(mask.values, mask.shape, 'int32')));
    };
    const xt = tf.tensor(x.values, x.shape);
    const params = names.map((n) => named.get(n) as tf.Tensor);
    const outs = run(xt, params);
    const weights = Object.fromEntries(
      Object.entries(outs).map(([k, t], i) => [k, tf.tensor(uniform(t.size, 100 + i), t.shape)]),
    );
    const loss = (xa: tf.Tensor, ...ps: tf.Tensor[]) =>
      Object.entries(run(xa, ps))
        .map(([k, t]) => tf.sum(tf.mul(t, weights[k] as tf.Tensor)))
        .reduce((a, b) => tf.add(a, b)) as tf.Scalar;
    const grads = tf.grads(loss)([xt, ...params]);
    return {
      outputs: Object.fromEntries(Object.entries(outs).map(([k, t]) => [k, fromTf(t)])),
      weights: Object.fromEntries(Object.entries(weights).map(([k, t]) => [k, fromTf(t)])),
      grads: new Map(['x', ...names].map((n, i) => [n, fromTf(grads[i] as tf.Tensor)])),
    };
  });
}

/** The same through the engine: parameters, x, mask and output weights are graph inputs. */
async function onOrt<D extends Def>(def: D, set: ParamSet<D>, block: Block<D>, ref: Reference) {
  const names = leaves(def).map((l) => l.name);
  const fn = new GraphFunction(engine, (o, inputs) => {
    const p = paramTree(def, (leaf) => inputs[`p:${leaf.name}`] as GraphTensor);
    const outs = block(o, inputs.x as GraphTensor, p, additiveMask(o, inputs.mask as GraphTensor));
    const loss = Object.entries(outs)
      .map(([k, t]) => o.sum(o.mul(t, inputs[`w:${k}`] as GraphTensor)))
      .reduce((a, b) => o.add(a, b));
    const wrt = ['x', ...names.map((n) => `p:${n}`)];
    const grads = gradients(
      loss,
      wrt.map((n) => inputs[n] as GraphTensor),
    );
    const result: Record<string, GraphTensor> = {};
    for (const [k, t] of Object.entries(outs)) result[`out:${k}`] = t;
    wrt.forEach((n, i) => {
      result[`d:${n}`] = grads[i] as GraphTensor;
    });
    return result;
  });
  functions.push(fn);
  const feeds = { x: toOrt(x), mask: toOrt(mask) } as Record<string, ReturnType<typeof toOrt>>;
  for (const [name, t] of set.named()) feeds[`p:${name}`] = toOrt(fromTf(t));
  for (const [k, w] of Object.entries(ref.weights)) feeds[`w:${k}`] = toOrt(w);
  return fn.run(feeds);
}

async function expectParity<D extends Def>(def: D, block: Block<D>): Promise<void> {
  const set = ParamSet.create(def, { seed: 5, trainable: false });
  try {
    const ref = await reference(def, set, block);
    const out = await onOrt(def, set, block, ref);
    for (const [k, want] of Object.entries(ref.outputs)) expectRel(out[`out:${k}`]!, want, `output ${k}`);
    expect(ref.grads.size).toBe(leaves(def).length + 1);
    for (const [name, want] of ref.grads) {
      const key = name === 'x' ? 'd:x' : `d:p:${name}`;
      expect(sizeOf(want.shape)).toBeGreaterThan(0);
      if (name.endsWith('self.key.bias')) {
        // softmax is invariant to the key bias (it adds q·b to a whole row of scores): the true
        // gradient is 0 and both engines return rounding noise
        for (const v of [...(out[key]!.data as Float32Array), ...want.values]) expect(Math.abs(v)).toBeLessThan(1e-6);
        continue;
      }
      expectRel(out[key]!, want, `gradient of ${name}`);
    }
  } finally {
    set.dispose();
  }
}

describe('nn blocks through the engine against tfjs', () => {
  it('self-attention: output, probabilities and every gradient', async () => {
    const def = attentionDef(H);
    await expectParity(def, (o, xt, p, m) => {
      const r = selfAttention(o, xt, p, { heads: HEADS, layerNormEps: 1e-5, dropout: 0.1, mask: m });
      return { output: r.output, probs: r.probs };
    });
  });

  it('BERT layer: output and every gradient', async () => {
    const def = bertLayerDef(H, FFN);
    await expectParity(def, (o, xt, p, m) => ({
      output: bertLayer(o, xt, p, { heads: HEADS, layerNormEps: 1e-12, dropout: 0.1, mask: m }),
    }));
  });
});
