import { describeBackends, expectClose } from '@kadapter/test-utils';
import type * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { KAdapterStack } from '../src/index.js';
import { adapterTensors, coreBackboneOutput, TINY_CONFIG, TINY_HIDDEN, vectors } from './fixture.js';

describeBackends('adapter stack parity with the official AdapterModel', () => {
  let v: Map<string, tf.Tensor>;
  beforeAll(async () => {
    v = await vectors('core.');
  });
  afterAll(() => {
    for (const t of v.values()) t.dispose();
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
      const out = stack.apply(coreBackboneOutput(v), { collectLayers: true });
      expect(out.layers).toHaveLength(3);
      out.layers?.forEach((layer, i) => {
        expectClose(layer, v.get(`core.${which}.adapter_layer_out.${i}`) as tf.Tensor, `${which} layer ${i}`);
      });
      expectClose(out.output, v.get(`core.${which}.adapter_out`) as tf.Tensor, `${which} adapter_out`);
      stack.dispose();
    });
  }
});
