/**
 * Adapter throughput at the released size (roberta-large width 1024, adapter 768 × 2 inner layers,
 * 12 heads, FFN 3072, taps 0,11,22) on precomputed (random) hidden states: the adapter stack
 * forward alone, and one forward + backward of the fac pre-training loss (adapter + fac head,
 * 410 relations), the part the trainer runs when backbone features are cached.
 *
 *   cd packages/setup && npx tsx --conditions=@kadapter/source bench/adapter-throughput.ts [--backend wasm] [--batch 8] [--seq 64] [--iters 5]
 */
import { KAdapterStack, resolveAdapterConfig } from '@kadapter/adapter';
import type { BackboneOutput } from '@kadapter/nn';
import { initBackend } from '@kadapter/nn/runtime';
import { createHead, facPretraining } from '@kadapter/heads';
import * as tf from '@tensorflow/tfjs';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}

const backend = arg('backend', 'wasm') as 'wasm' | 'cpu';
const B = Number(arg('batch', '8'));
const L = Number(arg('seq', '64'));
const iters = Number(arg('iters', '5'));
const H = 1024;

async function time(label: string, fn: () => tf.Tensor | tf.Tensor[]): Promise<number> {
  const ms: number[] = [];
  for (let i = 0; i < iters + 1; i++) {
    const t0 = performance.now();
    const out = fn();
    const ts = Array.isArray(out) ? out : [out];
    for (const t of ts) await t.data();
    tf.dispose(ts);
    if (i > 0) ms.push(performance.now() - t0);
  }
  const median = ms.sort((a, b) => a - b)[Math.floor(ms.length / 2)] as number;
  console.log(
    JSON.stringify({
      label,
      backend: tf.getBackend(),
      batch: B,
      seq: L,
      ms_median: +median.toFixed(1),
      seq_per_s: +((B * 1000) / median).toFixed(2),
    }),
  );
  return median;
}

await initBackend({ backend, log: () => {} });
const config = resolveAdapterConfig({ dropout: 0 }, 24);
const stack = KAdapterStack.create('fac', config, H, { seed: 1 });
const head = createHead(
  facPretraining,
  { kind: 'fac-pretraining', hiddenSize: H, labels: Array.from({ length: 410 }, (_, i) => `R${i}`), dropout: 0 },
  { seed: 2 },
);
const hidden = Array.from({ length: 25 }, (_, k) =>
  config.taps.includes(k) || k === 24 ? (tf.randomNormal([B, L, H], 0, 1, 'float32', k) as tf.Tensor3D) : undefined,
);
const out: BackboneOutput = {
  hiddenStates: hidden,
  last: hidden[24] as tf.Tensor3D,
  mask: tf.ones([B, L]) as tf.Tensor2D,
};
const subj = tf.tensor1d(
  Array.from({ length: B }, (_, i) => 1 + (i % 5)),
  'int32',
);
const obj = tf.tensor1d(
  Array.from({ length: B }, (_, i) => 10 + (i % 7)),
  'int32',
);
const labels = tf.tensor1d(
  Array.from({ length: B }, (_, i) => i % 410),
  'int32',
);
const vars = [...stack.trainableVariables(), ...head.trainableVariables()];

console.log(
  JSON.stringify({
    params: vars.reduce((s, v) => s + v.size, 0),
    adapterParams: stack.trainableVariables().reduce((s, v) => s + v.size, 0),
  }),
);
await time('adapter stack forward', () => stack.apply(out).output);
await time('adapter + fac head forward + backward', () => {
  const { value, grads } = tf.variableGrads(() => {
    const a = stack.apply(out, { training: true }).output;
    return head.loss(head.apply(a, { last: out.last, subj, obj }, { training: true }), labels);
  }, vars);
  return [value, ...Object.values(grads)];
});
