import { describeBackends, expectClose, PARITY } from '@kadapter/test-utils';
import * as tf from '@tensorflow/tfjs';
import type { BackboneOutput } from '@kadapter/nn';
import { fixtureVectors } from '@kadapter/test-fixtures';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { KAdapterStack } from '../src/index.js';
import { adapterTensors, coreBackboneOutput, TINY_CONFIG, TINY_HIDDEN } from './fixture.js';

describeBackends('adapter stack parity with the official AdapterModel', () => {
  let v: Map<string, tf.Tensor>;
  let core: BackboneOutput;
  beforeAll(async () => {
    v = await fixtureVectors('core.');
    core = coreBackboneOutput(v);
  });
  afterAll(() => {
    tf.dispose([...v.values(), core.mask]);
  });

  for (const which of ['fac', 'lin'] as const) {
    it(`${which}: every adapter layer and the stack output match within 1e-4`, async () => {
      const named = await adapterTensors(`${which}-adapter`);
      const stack = KAdapterStack.fromWeights(
        which,
        TINY_CONFIG,
        TINY_HIDDEN,
        named,
        `${which}-adapter/model.safetensors`,
      );
      const out = stack.apply(core, { collectLayers: true });
      expect(out.layers).toHaveLength(3);
      out.layers?.forEach((layer, i) => {
        expectClose(layer, v.get(`core.${which}.adapter_layer_out.${i}`) as tf.Tensor, `${which} layer ${i}`, PARITY);
      });
      expectClose(out.output, v.get(`core.${which}.adapter_out`) as tf.Tensor, `${which} adapter_out`, PARITY);
      tf.dispose([...named.values(), out.output, ...(out.layers ?? [])]);
      stack.dispose();
    });
  }
});

describeBackends('adapter stack options and bad input', () => {
  let v: Map<string, tf.Tensor>;
  let named: Map<string, tf.Tensor>;
  let b: BackboneOutput;
  beforeAll(async () => {
    v = await fixtureVectors('core.');
    named = await adapterTensors('fac-adapter');
    b = coreBackboneOutput(v);
  });
  afterAll(() => {
    tf.dispose([...v.values(), ...named.values(), b.mask]);
  });

  /** Backbone output whose pad positions (mask 0) hold other values. */
  const withOtherPads = (b: BackboneOutput): BackboneOutput => {
    const keep = tf.expandDims(b.mask, -1);
    const noise = (h: tf.Tensor3D | undefined, i: number) =>
      h &&
      (tf.add(tf.mul(h, keep), tf.mul(tf.sub(1, keep), tf.randomNormal(h.shape, 0, 1, 'float32', i))) as tf.Tensor3D);
    const hiddenStates = b.hiddenStates.map(noise);
    return { hiddenStates, last: hiddenStates[4] as tf.Tensor3D, mask: b.mask };
  };
  const realRows = (t: tf.Tensor3D, mask: tf.Tensor2D) => tf.mul(t, tf.expandDims(mask, -1));

  it('maskPadding=false (faithful): pad contents change the outputs at real tokens', () => {
    const stack = KAdapterStack.fromWeights('fac', TINY_CONFIG, TINY_HIDDEN, named, 'fac');
    tf.tidy(() => {
      const diff = tf.max(
        tf.abs(tf.sub(realRows(stack.apply(b).output, b.mask), realRows(stack.apply(withOtherPads(b)).output, b.mask))),
      );
      expect(diff.dataSync()[0]).toBeGreaterThan(1e-3);
    });
    stack.dispose();
  });

  it('maskPadding=true: outputs at real tokens ignore the pads entirely', () => {
    const stack = KAdapterStack.fromWeights('fac', { ...TINY_CONFIG, maskPadding: true }, TINY_HIDDEN, named, 'fac');
    tf.tidy(() =>
      expectClose(
        realRows(stack.apply(withOtherPads(b)).output, b.mask),
        realRows(stack.apply(b).output, b.mask),
        'masked',
        {
          atol: 1e-5,
        },
      ),
    );
    stack.dispose();
  });

  it('a tap the backbone output lacks is an InputError naming it', () => {
    const stack = KAdapterStack.fromWeights('fac', TINY_CONFIG, TINY_HIDDEN, named, 'fac');
    const partial = { ...b, hiddenStates: [b.hiddenStates[0], undefined, b.hiddenStates[2]] };
    expect(() => stack.apply(partial)).toThrow(/layer 2 taps hidden state 3, which the backbone output does not hold/);
    expect(() => KAdapterStack.fromWeights('fac', TINY_CONFIG, 32, named, 'fac-adapter/model.safetensors')).toThrow(
      /fac-adapter\/model.safetensors.*wrong shapes: adapter.0.down_project.weight is \[32,64\], expected \[32,32\]/,
    );
    stack.dispose();
  });

  it('runs dropout only in training and leaks no tensor', () => {
    const stack = KAdapterStack.fromWeights('fac', TINY_CONFIG, TINY_HIDDEN, named, 'fac');
    const before = tf.memory().numTensors;
    const eval1 = stack.apply(b);
    const train = stack.apply(b, { training: true, collectLayers: true });
    expect(tf.tidy(() => tf.max(tf.abs(tf.sub(eval1.output, train.output))).dataSync()[0])).toBeGreaterThan(0);
    tf.dispose([eval1.output, train.output, ...(train.layers ?? [])]);
    expect(tf.memory().numTensors).toBe(before);
    stack.dispose();
  });
});
