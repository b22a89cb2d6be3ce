/**
 * Backbone forward throughput: @kadapter/backbone on a tfjs backend (default wasm) versus the
 * official K-Adapter PyTorch code (its `PretrainedModel` over the vendored RobertaModel, run by
 * ../shared/tools/baseline_torch.py) on the same machine, for a randomly initialised model of
 * roberta-base size (or large/tiny) at batch 8 x 64 tokens. Prints sequences/s for both and the
 * ratio, and the OpenBLAS core type the PyTorch side ran with.
 *
 *   cd tools/perf && npx tsx --conditions=@kadapter/source src/backbone-forward.ts \
 *     --kadapter-src /path/to/K-Adapter-worktree [--config base] [--batch 8] [--seq 64] \
 *     [--backend wasm] [--warmup 2] [--iters 5] [--torch-threads 2] [--no-torch] [--profile]
 *
 * `--profile` also prints where one tfjs forward spends its time (tf.profile, per kernel).
 *
 * The PyTorch side needs Debian `python3-torch python3-numpy python3-regex libopenblas0-pthread`
 * and a work tree of github.com/microsoft/K-Adapter (`git archive` of a fetched copy).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { type BackboneConfig, parseBackboneConfig, randomBackbone } from '@kadapter/backbone';
import type { BackboneOutput } from '@kadapter/nn';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';

const SIZES = {
  large: { hidden_size: 1024, num_hidden_layers: 24, num_attention_heads: 16, intermediate_size: 4096 },
  base: { hidden_size: 768, num_hidden_layers: 12, num_attention_heads: 12, intermediate_size: 3072 },
  tiny: { hidden_size: 64, num_hidden_layers: 4, num_attention_heads: 4, intermediate_size: 128 },
} as const;
type Size = keyof typeof SIZES;

const here = dirname(fileURLToPath(import.meta.url));
const { values: args } = parseArgs({
  options: {
    config: { type: 'string', default: 'base' },
    batch: { type: 'string', default: '8' },
    seq: { type: 'string', default: '64' },
    backend: { type: 'string', default: 'wasm' },
    warmup: { type: 'string', default: '2' },
    iters: { type: 'string', default: '5' },
    'kadapter-src': { type: 'string' },
    'torch-threads': { type: 'string', default: '2' },
    python: { type: 'string', default: '/usr/bin/python3' },
    'no-torch': { type: 'boolean', default: false },
    profile: { type: 'boolean', default: false },
  },
});

const size = args.config as Size;
if (!(size in SIZES)) throw new Error(`--config must be one of ${Object.keys(SIZES).join(', ')}`);
const batch = Number(args.batch);
const seq = Number(args.seq);
const VOCAB = 50265;

/** Random ids in [3, vocab) with <s> ... </s> and right padding, lengths in [min(16, L), L]. */
function makeBatch(seed: number): { ids: number[][]; mask: number[][] } {
  let s = seed;
  const rand = () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return s / 2 ** 31;
  };
  const ids: number[][] = [];
  const mask: number[][] = [];
  for (let b = 0; b < batch; b++) {
    const lo = Math.min(16, seq);
    const n = lo + Math.floor(rand() * (seq - lo + 1));
    ids.push(
      Array.from({ length: seq }, (_, j) =>
        j === 0 ? 0 : j === n - 1 ? 2 : j >= n ? 1 : 3 + Math.floor(rand() * (VOCAB - 3)),
      ),
    );
    mask.push(Array.from({ length: seq }, (_, j) => (j < n ? 1 : 0)));
  }
  return { ids, mask };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

async function benchTfjs() {
  await tf.setBackend(args.backend);
  await tf.ready();
  const config = parseBackboneConfig({
    model_type: 'roberta',
    vocab_size: VOCAB,
    max_position_embeddings: 514,
    type_vocab_size: 1,
    layer_norm_eps: 1e-5,
    pad_token_id: 1,
    ...SIZES[size],
  });
  const backbone = randomBackbone(config, { seed: 42 });
  const { ids, mask } = makeBatch(1234 + batch);
  const inputIds = tf.tensor2d(ids, undefined, 'int32');
  const attentionMask = tf.tensor2d(mask, undefined, 'int32');
  const times: number[] = [];
  const warmup = Number(args.warmup);
  const iters = Number(args.iters);
  for (let i = 0; i < warmup + iters; i++) {
    const t0 = performance.now();
    const out = backbone.encode({ inputIds, attentionMask });
    await out.last.data();
    const dt = (performance.now() - t0) / 1000;
    tf.dispose([...out.hiddenStates, out.last, out.mask] as tf.Tensor[]);
    if (i >= warmup) times.push(dt);
  }
  if (args.profile) await profileOnce(() => backbone.encode({ inputIds, attentionMask }), config);
  backbone.dispose();
  tf.dispose([inputIds, attentionMask]);
  const rss = process.resourceUsage().maxRSS / 1024;
  return { best: batch / Math.min(...times), median: batch / median(times), times, rssMiB: rss };
}

/** Kernel time of one forward, by kernel, and the matmul rate implied by the linear layers' FLOPs. */
async function profileOnce(forward: () => BackboneOutput, config: BackboneConfig) {
  const t0 = performance.now();
  const profile = await tf.profile(async () => {
    const out = forward();
    await out.last.data();
    tf.dispose([...out.hiddenStates, out.last, out.mask] as tf.Tensor[]);
  });
  const wall = performance.now() - t0;
  // 'unnamed scope' entries are custom-gradient wrappers (the linear layers): their time includes
  // the kernels inside them, so they are left out of the breakdown.
  const byKernel = new Map<string, number>();
  for (const k of profile.kernels) {
    if (k.name !== 'unnamed scope') byKernel.set(k.name, (byKernel.get(k.name) ?? 0) + Number(k.kernelTimeMs));
  }
  const top = [...byKernel].sort((a, b) => b[1] - a[1]).slice(0, 6);
  console.log(
    `profile of one forward (${wall.toFixed(0)} ms wall): ` +
      top.map(([n, ms]) => `${n} ${ms.toFixed(0)} ms (${((100 * ms) / wall).toFixed(0)} % of wall)`).join(', '),
  );
  const h = config.hiddenSize;
  const linearFlops = config.numHiddenLayers * batch * seq * 2 * (4 * h * h + 2 * h * config.intermediateSize);
  const matmulMs = byKernel.get('BatchMatMul') ?? Number.NaN;
  console.log(
    `linear layers: ${(linearFlops / 1e9).toFixed(1)} GFLOP per batch; BatchMatMul (with the small attention matmuls) at ${(linearFlops / 1e6 / matmulMs).toFixed(1)} GFLOP/s`,
  );
}

interface TorchResult {
  seqPerSecBest: number;
  seqPerSecMedian: number;
  threads: number;
  coreType: string;
  machine: Record<string, unknown>;
}

function benchTorch(threads: number): TorchResult {
  const src = args['kadapter-src'];
  if (!src) throw new Error('--kadapter-src <K-Adapter work tree> is required for the PyTorch side (or --no-torch)');
  const baseline = resolve(here, '../../../../shared/tools/baseline_torch.py');
  const dir = mkdtempSync(join(tmpdir(), 'kadapter-perf-'));
  const json = join(dir, 'torch.json');
  const env = { ...process.env, OMP_WAIT_POLICY: 'PASSIVE', OPENBLAS_NUM_THREADS: String(threads) };
  try {
    const run = spawnSync(
      args.python,
      [
        baseline,
        '--kadapter-src',
        resolve(src),
        '--config',
        size,
        '--workloads',
        'fwd',
        '--batches',
        String(batch),
      ].concat(['--seq-len', String(seq), '--threads', String(threads), '--json', json]),
      { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
    );
    if (run.status !== 0) throw new Error(`baseline_torch.py failed (exit ${run.status}):\n${run.stdout}`);
    const doc = JSON.parse(readFileSync(json, 'utf8')) as {
      machine: Record<string, unknown>;
      results: Array<{ seq_per_s_best: number; seq_per_s_median: number; torch_threads: number }>;
    };
    const r = doc.results[0]!;
    const core = spawnSync(args.python, [resolve(here, '../openblas_core.py')], { env, encoding: 'utf8' });
    return {
      seqPerSecBest: r.seq_per_s_best,
      seqPerSecMedian: r.seq_per_s_median,
      threads: r.torch_threads,
      coreType: core.status === 0 ? core.stdout.trim() : `unknown (${core.stderr.trim()})`,
      machine: doc.machine,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const f2 = (x: number) => x.toFixed(2);
const load = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');
console.log(`machine load average before: ${load()} (other processes share the cores; rerun when it is low)`);
const ours = await benchTfjs();
console.log(
  `tfjs ${args.backend}: roberta-${size} random, forward b${batch} x ${seq}: ${f2(ours.best)} seq/s best, ${f2(ours.median)} median ` +
    `(${ours.times.map((t) => t.toFixed(3)).join(' ')} s/batch; peak RSS ${ours.rssMiB.toFixed(0)} MiB)`,
);
if (!args['no-torch']) {
  for (const threads of args['torch-threads']!.split(',').map(Number)) {
    const torch = benchTorch(threads);
    console.log(
      `official PyTorch (torch ${torch.machine.torch}, ${torch.threads} thread(s), OPENBLAS_NUM_THREADS=${threads}, ` +
        `libblas ${torch.machine.libblas_so3}, OpenBLAS core ${torch.coreType}): ${f2(torch.seqPerSecBest)} seq/s best, ${f2(torch.seqPerSecMedian)} median`,
    );
    console.log(
      `ratio tfjs/torch (${threads} thread(s)): ${f2(ours.best / torch.seqPerSecBest)} best, ${f2(ours.median / torch.seqPerSecMedian)} median`,
    );
  }
}
console.log(`machine load average after: ${load()}`);
