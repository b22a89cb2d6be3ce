/**
 * One BERT-base layer (hidden 768, 12 heads, FFN 3072, exact GELU, post-LN, padding mask; nn's
 * bertLayer, the same definition on both engines) on ONNX Runtime and on tfjs-wasm:
 *  - forward at batch 8 × 64 (eval: no dropout);
 *  - one training step at batch 32 × 64: forward with dropout 0.1, MSE loss, backward,
 *    clip_grad_norm_(1.0) and AdamW (tfjs: autodiff + @kadapter/train's clipGradNorm and AdamW).
 * The engines alternate run by run, so both see the same machine load (printed); times are medians
 * and bests after warm-up runs (ORT's first run includes tracing and creating the session).
 *
 *   cd packages/engine-ort && npx tsx --conditions=@kadapter/source bench/bert-layer.ts [--iters 8] [--threads 2] [--no-tfjs]
 */
import { cpus, loadavg } from 'node:os';
import { additiveMask, bertLayer, bertLayerDef, leaves, type Ops, type Params, ParamSet, tfOps } from '@kadapter/nn';
import { initBackend } from '@kadapter/nn/runtime';
import { AdamW, clipGradNorm } from '@kadapter/train';
import * as tf from '@tensorflow/tfjs';
import { env } from 'onnxruntime-node';
import { GraphFunction, type GraphTensor, OrtEngine, OrtTrainer, ortTensor, paramTree } from '../src/index.js';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}
const iters = Number(arg('iters', '8'));
const threads = Number(arg('threads', String(cpus().length)));
const withTfjs = !process.argv.includes('--no-tfjs');
const [H, HEADS, FFN, L] = [768, 12, 3072, 64];
const def = bertLayerDef(H, FFN);

type Run = () => Promise<void>;
interface Timing {
  median: number;
  best: number;
  first: number;
}

/** Runs every engine's `fn` in turn, `warmup + n` rounds; the timings of each after the warm-up. */
async function alternate(warmup: number, n: number, fns: Record<string, Run>): Promise<Record<string, Timing>> {
  const ms: Record<string, number[]> = Object.fromEntries(Object.keys(fns).map((k) => [k, []]));
  for (let i = 0; i < warmup + n; i++) {
    for (const [k, fn] of Object.entries(fns)) {
      const t0 = performance.now();
      await fn();
      ms[k]?.push(performance.now() - t0);
    }
  }
  return Object.fromEntries(
    Object.entries(ms).map(([k, all]) => {
      const runs = all.slice(warmup).sort((a, b) => a - b);
      return [
        k,
        { median: runs[Math.floor(runs.length / 2)] as number, best: runs[0] as number, first: all[0] as number },
      ];
    }),
  );
}

function random(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) % 2147483648;
    out[i] = (s / 2147483648) * 2 - 1;
  }
  return out;
}

/** 0/1 mask [b, L]: every fourth row has its last quarter padded. */
function mask(b: number): Int32Array {
  return Int32Array.from({ length: b * L }, (_, i) => (Math.floor(i / L) % 4 === 3 && i % L >= (3 * L) / 4 ? 0 : 1));
}

function layer<T>(o: Ops<T>, x: T, p: Params<typeof def, T>, m: T, training: boolean): T {
  const options = { heads: HEADS, layerNormEps: 1e-12, dropout: 0.1, training, random: Math.random };
  return bertLayer(o, x, p, { ...options, mask: additiveMask(o, m) });
}

function mse<T>(o: Ops<T>, y: T, target: T): T {
  const d = o.sub(y, target);
  return o.mean(o.mul(d, d));
}

await initBackend({ backend: 'wasm', log: () => {} });
const set = ParamSet.create(def, { seed: 1, trainable: true });
const initial = new Map([...set.named()].map(([n, t]) => [n, t.dataSync() as Float32Array]));
const engine = new OrtEngine({ threads });
const ortName = `ort (${threads} thread${threads === 1 ? '' : 's'})`;
const load: number[] = [loadavg()[0] as number];

// ---- forward, batch 8 × 64
const fx = random(8 * L * H, 3);
const forward = new GraphFunction(engine, (o, x) => {
  const p = paramTree(def, (leaf) => x[leaf.name] as GraphTensor);
  return { y: layer(o, x.x as GraphTensor, p, x.mask as GraphTensor, false) };
});
const fwdFeeds: Record<string, ReturnType<typeof ortTensor>> = {
  x: ortTensor(fx, [8, L, H]),
  mask: ortTensor(mask(8), [8, L]),
};
for (const leaf of leaves(def)) fwdFeeds[leaf.name] = ortTensor(initial.get(leaf.name) as Float32Array, leaf.def.shape);
const fwd = await alternate(3, iters, {
  [ortName]: async () => void (await forward.run(fwdFeeds)),
  ...(withTfjs
    ? {
        'tfjs-wasm': async () => {
          const y = tf.tidy(() =>
            layer(tfOps, tf.tensor(fx, [8, L, H]), set.params, tf.tensor(mask(8), [8, L], 'int32'), false),
          );
          await y.data();
          y.dispose();
        },
      }
    : {}),
});
load.push(loadavg()[0] as number);

// ---- training step, batch 32 × 64
const [x, target, m] = [random(32 * L * H, 5), random(32 * L * H, 7), mask(32)];
const trainer = new OrtTrainer(
  engine,
  {
    def,
    loss: (o, p, b) => mse(o, layer(o, b.x as GraphTensor, p, b.mask as GraphTensor, true), b.target as GraphTensor),
    maxGradNorm: 1.0,
    optimizer: { weightDecay: 0.01 },
    random: Math.random,
  },
  initial,
);
const batch = { x: ortTensor(x, [32, L, H]), mask: ortTensor(m, [32, L]), target: ortTensor(target, [32, L, H]) };
const variables = set.namedVariables();
const opt = new AdamW(variables, { weightDecay: 0.01 });
const [tx, tm, tt] = [tf.tensor(x, [32, L, H]), tf.tensor(m, [32, L], 'int32'), tf.tensor(target, [32, L, H])];
const step = await alternate(1, Math.max(3, Math.round(iters / 2)), {
  [ortName]: async () => void (await trainer.step(batch, 1e-4)),
  ...(withTfjs
    ? {
        'tfjs-wasm': async () => {
          tf.tidy(() => {
            const { grads } = tf.variableGrads(
              () => mse(tfOps, layer(tfOps, tx, set.params, tm, true), tt) as tf.Scalar,
            );
            const clipped = clipGradNorm(new Map([...variables].map(([n, v]) => [n, grads[v.name] as tf.Tensor])), 1.0);
            opt.step(clipped.grads, 1e-4);
          });
        },
      }
    : {}),
});
load.push(loadavg()[0] as number);

const cpu = cpus()[0]?.model ?? 'cpu';
console.log(
  `BERT-base layer (768/12/3072), ${cpu} × ${cpus().length}, onnxruntime-node ${env.versions.node}, tfjs ${tf.version.tfjs}`,
);
console.log(`1-minute load average during the run: ${load.map((v) => v.toFixed(1)).join(' → ')}`);
console.log('| workload | engine | median ms | best ms | first run ms |');
console.log('|---|---|---|---|---|');
for (const [what, timings] of [
  ['forward b8×64', fwd],
  ['train step b32×64', step],
] as const) {
  for (const [name, t] of Object.entries(timings)) {
    console.log(`| ${what} | ${name} | ${t.median.toFixed(1)} | ${t.best.toFixed(1)} | ${t.first.toFixed(0)} |`);
  }
  const [a, b] = [timings[ortName], timings['tfjs-wasm']];
  if (a && b)
    console.log(
      `| ${what} | tfjs-wasm / ort | ${(b.median / a.median).toFixed(1)}× | ${(b.best / a.best).toFixed(1)}× | |`,
    );
}
console.log(`peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
await forward.dispose();
await trainer.dispose();
opt.dispose();
