/**
 * One BERT-base layer (hidden 768, 12 heads, FFN 3072, exact GELU, post-LN, padding mask; nn's
 * bertLayer, the same definition on both engines) on ONNX Runtime and on tfjs-wasm:
 *  - forward at batch 8 × 64 (eval: no dropout);
 *  - one training step at batch 32 × 64: forward with dropout 0.1, MSE loss, backward,
 *    clip_grad_norm_(1.0) and AdamW (tfjs: autodiff + @kadapter/train's clipGradNorm and AdamW).
 * Times are medians (and bests) after warm-up runs; ORT's first run includes tracing and the session.
 *
 *   cd packages/engine-ort && npx tsx --conditions=@kadapter/source bench/bert-layer.ts [--iters 10] [--threads 2] [--no-tfjs]
 */
import { cpus } from 'node:os';
import { additiveMask, bertLayer, bertLayerDef, leaves, type Ops, type Params, ParamSet, tfOps } from '@kadapter/nn';
import { initBackend } from '@kadapter/nn/runtime';
import { AdamW, clipGradNorm } from '@kadapter/train';
import * as tf from '@tensorflow/tfjs';
import { GraphFunction, type GraphTensor, OrtEngine, OrtTrainer, ortTensor, paramTree } from '../src/index.js';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}
const iters = Number(arg('iters', '10'));
const threads = Number(arg('threads', String(cpus().length)));
const withTfjs = !process.argv.includes('--no-tfjs');
const [H, HEADS, FFN, L] = [768, 12, 3072, 64];
const def = bertLayerDef(H, FFN);
type P<T> = Params<typeof def, T>;

async function time(
  warmup: number,
  n: number,
  fn: () => Promise<void>,
): Promise<{ median: number; best: number; first: number }> {
  const ms: number[] = [];
  for (let i = 0; i < warmup + n; i++) {
    const t0 = performance.now();
    await fn();
    ms.push(performance.now() - t0);
  }
  const first = ms[0] as number;
  const runs = ms.slice(warmup).sort((a, b) => a - b);
  return { median: runs[Math.floor(runs.length / 2)] as number, best: runs[0] as number, first };
}

function random(n: number, seed: number, scale = 1): Float32Array {
  const out = new Float32Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) % 2147483648;
    out[i] = ((s / 2147483648) * 2 - 1) * scale;
  }
  return out;
}

/** 0/1 mask [b, L]: every fourth row has its last quarter padded. */
function mask(b: number): Int32Array {
  return Int32Array.from({ length: b * L }, (_, i) => (Math.floor(i / L) % 4 === 3 && i % L >= (3 * L) / 4 ? 0 : 1));
}

function layer<T>(o: Ops<T>, x: T, p: P<T>, m: T, training: boolean, random?: () => number): T {
  return bertLayer(o, x, p, {
    heads: HEADS,
    layerNormEps: 1e-12,
    dropout: 0.1,
    mask: additiveMask(o, m),
    training,
    ...(random ? { random } : {}),
  });
}

function mse<T>(o: Ops<T>, y: T, target: T): T {
  const d = o.sub(y, target);
  return o.mean(o.mul(d, d));
}

await initBackend({ backend: 'wasm', log: () => {} });
const set = ParamSet.create(def, { seed: 1, trainable: true });
const initial = new Map([...set.named()].map(([n, t]) => [n, t.dataSync() as Float32Array]));
const rows: string[] = [];
const report = (what: string, engine: string, r: { median: number; best: number; first: number }) => {
  rows.push(`| ${what} | ${engine} | ${r.median.toFixed(1)} | ${r.best.toFixed(1)} | ${r.first.toFixed(0)} |`);
  return r.median;
};

// ---- ONNX Runtime
const engine = new OrtEngine({ threads });
const forward = new GraphFunction(engine, (o, x) => {
  const p = paramTree(def, (leaf) => x[leaf.name] as GraphTensor);
  return { y: layer(o, x.x as GraphTensor, p, x.mask as GraphTensor, false) };
});
const fwdFeeds: Record<string, ReturnType<typeof ortTensor>> = {
  x: ortTensor(random(8 * L * H, 3), [8, L, H]),
  mask: ortTensor(mask(8), [8, L]),
};
for (const leaf of leaves(def)) fwdFeeds[leaf.name] = ortTensor(initial.get(leaf.name) as Float32Array, leaf.def.shape);
const ortForward = report(
  'forward b8×64',
  `ort (${threads} threads)`,
  await time(3, iters, async () => void (await forward.run(fwdFeeds))),
);

const trainer = new OrtTrainer(
  engine,
  {
    def,
    loss: (o, p, b) =>
      mse(o, layer(o, b.x as GraphTensor, p, b.mask as GraphTensor, true, Math.random), b.target as GraphTensor),
    maxGradNorm: 1.0,
    optimizer: { weightDecay: 0.01 },
  },
  initial,
);
const batch = {
  x: ortTensor(random(32 * L * H, 5), [32, L, H]),
  mask: ortTensor(mask(32), [32, L]),
  target: ortTensor(random(32 * L * H, 7), [32, L, H]),
};
const ortStep = report(
  'train step b32×64',
  `ort (${threads} threads)`,
  await time(2, iters, async () => void (await trainer.step(batch, 1e-4))),
);

// ---- tfjs-wasm
let ratios = '';
if (withTfjs) {
  const p = set.params;
  const wasmForward = report(
    'forward b8×64',
    'tfjs-wasm',
    await time(2, Math.min(iters, 5), async () => {
      const y = tf.tidy(() =>
        layer(
          tfOps,
          tf.tensor(fwdFeeds.x!.data as Float32Array, [8, L, H]),
          p,
          tf.tensor(mask(8), [8, L], 'int32'),
          false,
        ),
      );
      await y.data();
      y.dispose();
    }),
  );
  const variables = set.namedVariables();
  const opt = new AdamW(variables, { weightDecay: 0.01 });
  const x = tf.tensor(batch.x.data as Float32Array, [32, L, H]);
  const m = tf.tensor(mask(32), [32, L], 'int32');
  const target = tf.tensor(batch.target.data as Float32Array, [32, L, H]);
  const wasmStep = report(
    'train step b32×64',
    'tfjs-wasm',
    await time(1, Math.min(iters, 3), async () => {
      const norm = tf.tidy(() => {
        const { grads } = tf.variableGrads(
          () => mse(tfOps, layer(tfOps, x, p, m, true, Math.random), target) as tf.Scalar,
        );
        const named = new Map([...variables].map(([n, v]) => [n, grads[v.name] as tf.Tensor]));
        const c = clipGradNorm(named, 1.0);
        opt.step(c.grads, 1e-4);
        return c.totalNorm;
      });
      void norm;
    }),
  );
  ratios = `ratio tfjs-wasm / ort: forward ${(wasmForward / ortForward).toFixed(1)}×, train step ${(wasmStep / ortStep).toFixed(1)}×`;
}

console.log(
  `BERT-base layer (768/12/3072), ${cpus()[0]?.model ?? 'cpu'} × ${cpus().length}, onnxruntime-node ${(await import('onnxruntime-node')).env.versions.node}, ${iters} timed runs`,
);
console.log('| workload | engine | median ms | best ms | first run ms |');
console.log('|---|---|---|---|---|');
for (const r of rows) console.log(r);
if (ratios) console.log(ratios);
console.log(`peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
await forward.dispose();
await trainer.dispose();
