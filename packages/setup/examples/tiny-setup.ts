/**
 * The tiny fixture as one composition (backbone + fac/lin adapters + official concat fusion +
 * entity-typing head), saved as a setup directory, reloaded, and run on the OpenEntity features.
 *
 *   cd packages/setup && npx tsx --conditions=@kadapter/source examples/tiny-setup.ts
 */
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KAdapterStack } from '@kadapter/adapter';
import { loadBackbone } from '@kadapter/backbone';
import { defaultAdapterConfig } from '@kadapter/core';
import { initBackend } from '@kadapter/nn/runtime';
import { concatFusion, fusionFromWeights } from '@kadapter/fusion';
import { entityTyping, headFromWeights } from '@kadapter/heads';
import { loadSafetensors } from '@kadapter/io';
import { tinyFixture } from '@kadapter/test-utils';
import type * as tf from '@tensorflow/tfjs';
import { KAdapterSetup, loadSetup, saveSetup } from '../src/index.js';

await initBackend();
const config = { ...defaultAdapterConfig(4), taps: [0, 2, 3], adapterSize: 32, heads: 4, intermediateSize: 64 };
const adapter = async (name: 'fac' | 'lin') =>
  KAdapterStack.fromWeights(
    name,
    config,
    64,
    await loadSafetensors(tinyFixture(`${name}-adapter`, 'model.safetensors'), (n) => n.startsWith('adapter.')),
    `${name}-adapter`,
  );
const setup = new KAdapterSetup({
  backbone: await loadBackbone(tinyFixture()),
  adapters: new Map([
    ['fac', await adapter('fac')],
    ['lin', await adapter('lin')],
  ]),
  fusion: fusionFromWeights(
    concatFusion,
    { kind: 'concat', adapters: ['fac', 'lin'], hiddenSize: 64 },
    await loadSafetensors(tinyFixture('fusion', 'model.safetensors')),
    'fusion',
  ),
  heads: new Map([
    [
      'openentity',
      headFromWeights(
        entityTyping,
        {
          kind: 'entity-typing',
          hiddenSize: 64,
          labels: ['entity', 'location', 'time', 'organization', 'object', 'event', 'place', 'person', 'group'],
          dropout: 0.1,
        },
        await loadSafetensors(tinyFixture('heads', 'entity_typing.safetensors')),
        'entity_typing',
      ),
    ],
  ]),
});

const dir = join(tmpdir(), 'kadapter-example-setup');
await rm(dir, { recursive: true, force: true });
await saveSetup(dir, setup, { backboneSource: tinyFixture() });
const reloaded = await loadSetup(dir);

const v = await loadSafetensors(tinyFixture('vectors.safetensors'), (n) => n.startsWith('openentity.'));
const input = {
  inputIds: v.get('openentity.input_ids') as tf.Tensor2D,
  attentionMask: v.get('openentity.input_mask') as tf.Tensor2D,
};
const selectors = { marker: v.get('openentity.start_index') as tf.Tensor };
const a = setup.logits('openentity', input, selectors).dataSync();
const b = reloaded.logits('openentity', input, selectors).dataSync();
const official = (v.get('openentity.et.logits') as tf.Tensor).dataSync();
console.log(`saved ${dir}; reloaded logits identical: ${a.every((x, i) => x === b[i])}`);
console.log(
  `max |logit - official ETModel| = ${Math.max(...Array.from(b, (x, i) => Math.abs(x - (official[i] as number)))).toExponential(2)}`,
);
setup.dispose();
reloaded.dispose();
