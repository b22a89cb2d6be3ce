/**
 * The official concat fusion of the tiny fixture (fac + lin), the same fusion generalised to three
 * adapters, add fusion and attention fusion, on random stand-ins for backbone/adapter outputs.
 *
 *   cd packages/fusion && npx tsx --conditions=@kadapter/source examples/fuse.ts
 */
import { initBackend } from '@kadapter/nn/runtime';
import { loadSafetensors } from '@kadapter/io';
import { tinyFixture } from '@kadapter/test-utils';
import * as tf from '@tensorflow/tfjs';
import { addFusion, attentionFusion, concatFusion, createFusion, fusionFromWeights } from '../src/index.js';

await initBackend();
const h = 64;
const last = tf.randomNormal([2, 5, h], 0, 1, 'float32', 1) as tf.Tensor3D;
const out = (seed: number) => tf.randomNormal([2, 5, h], 0, 1, 'float32', seed) as tf.Tensor3D;

// official weights: task_dense_fac, task_dense_lin, task_dense (Linear 2H -> H each)
const weights = await loadSafetensors(tinyFixture('fusion', 'model.safetensors'));
const concat = fusionFromWeights(
  concatFusion,
  { kind: 'concat', adapters: ['fac', 'lin'], hiddenSize: h },
  weights,
  'fusion',
);
console.log('concat (official, 2 adapters):', concat.apply(last, { fac: out(2), lin: out(3) }).shape);

const three = createFusion(
  concatFusion,
  { kind: 'concat', adapters: ['fac', 'lin', 'lex'], hiddenSize: h },
  { seed: 1 },
);
console.log('concat, 3 adapters, tensors:', [...three.weights().keys()].join(', '));

const add = createFusion(addFusion, { kind: 'add', adapters: ['fac', 'lin'] });
console.log('add:', add.apply(last, { fac: out(2), lin: out(3) }).shape);

const att = createFusion(
  attentionFusion,
  { kind: 'attention', adapters: ['fac', 'lin'], hiddenSize: h, residual: true },
  { seed: 1 },
);
const { probs } = att.forward(last, { fac: out(2), lin: out(3) }) as unknown as { probs: tf.Tensor };
console.log(
  'attention weights of token [0, 0] over (fac, lin):',
  Array.from(probs.dataSync().slice(0, 2), (p) => p.toFixed(3)).join(' '),
);
