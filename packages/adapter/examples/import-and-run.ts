/**
 * Imports the tiny fixture's official fac-adapter checkpoint (zip pytorch_model.bin) into an
 * adapter directory, reloads it on the tiny RoBERTa and runs it on two padded rows.
 *
 *   cd packages/adapter && npx tsx --conditions=@kadapter/source examples/import-and-run.ts
 */
import { readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadBackbone } from '@kadapter/backbone';
import { initBackend } from '@kadapter/nn/runtime';
import { tinyFixture } from '@kadapter/test-utils';
import * as tf from '@tensorflow/tfjs';
import { importOfficialAdapter, loadAdapter } from '../src/index.js';

await initBackend();
const backbone = await loadBackbone(tinyFixture());
const out = join(tmpdir(), 'kadapter-example-fac');
await rm(out, { recursive: true, force: true });

// 1. official checkpoint -> adapter directory (taps and heads are what shapes cannot tell)
const r = await importOfficialAdapter(tinyFixture('fac-adapter', 'pytorch_model.bin'), out, {
  backbone: backbone.info,
  taps: [0, 2, 3],
  heads: 4,
});
console.log(`imported ${r.adapterTensors} adapter tensors + ${r.headTensors} head tensors (${r.format}) into ${out}`);
console.log((await readFile(join(out, 'adapter_config.json'), 'utf8')).split('\n').slice(0, 4).join('\n'), '...');

// 2. load it (refused on another backbone) and run it
const { stack } = await loadAdapter(out, { backbone: backbone.info });
const inputIds = tf.tensor2d(
  [
    [0, 31414, 232, 2, 1, 1],
    [0, 20920, 2, 1, 1, 1],
  ].map((row) => row.map((id) => id % backbone.info.vocabSize)),
  undefined,
  'int32',
);
const attentionMask = tf.tensor2d(
  [
    [1, 1, 1, 1, 0, 0],
    [1, 1, 1, 0, 0, 0],
  ],
  undefined,
  'int32',
);
const encoded = backbone.encode({ inputIds, attentionMask }, { taps: stack.config.taps });
const { output, layers } = stack.apply(encoded, { collectLayers: true });
console.log(`adapter output ${JSON.stringify(output.shape)}, ${layers?.length} adapter layers`);
console.log('output[0, 0, :4]', Array.from(output.dataSync().slice(0, 4), (v) => v.toFixed(4)).join(' '));
stack.dispose();
backbone.dispose();
