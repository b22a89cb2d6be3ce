/**
 * Peak memory of loading a roberta-large-sized checkpoint with @kadapter/io. Writes the real
 * roberta-large tensor names and shapes (355M float32 parameters, ~1.42 GB) with random values to
 * a temp dir as model.safetensors (with saveSafetensors) and, when Debian python3-torch is
 * available, as pytorch_model.bin in the zip format and the legacy (torch < 1.6) format. Each file
 * is then loaded in a fresh child process, which prints its peak RSS
 * (`process.resourceUsage().maxRSS`); the parent prints file size, load time, peak RSS, the RSS of
 * the child before loading, and peak / size.
 *
 *   cd tools/perf && npx tsx --conditions=@kadapter/source src/io-load-memory.ts [--modes touch,raw,tf-cpu,tf-wasm] [--keep DIR]
 *
 * `--keep DIR` writes the files there and leaves them; a later run with the same DIR reuses them.
 *
 * Modes: `raw` = every tensor as a RawTensor (stored dtype; what converters use), `tf-cpu` =
 * every tensor as a tfjs tensor on the cpu backend (what a backbone load holds), `tf-wasm` = the
 * same on the wasm backend (tensors are copied into the wasm heap), `touch` (run once,
 * on the safetensors file) = no reading at all, just allocating and filling fresh buffers of the
 * same sizes: the machine's cost of first-touching that much memory, a floor for any loader.
 * The io package is imported from its sources by path (this package does not depend on it).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const IO = '../../../packages/io/src/index.js';
type IoModule = typeof import('../../../packages/io/src/index.js');

/** roberta-large (HF `roberta.*` names, PyTorch [out, in] layout). */
function robertaLargeShapes(): [string, number[]][] {
  const h = 1024;
  const ffn = 4096;
  const out: [string, number[]][] = [
    ['roberta.embeddings.word_embeddings.weight', [50265, h]],
    ['roberta.embeddings.position_embeddings.weight', [514, h]],
    ['roberta.embeddings.token_type_embeddings.weight', [1, h]],
    ['roberta.embeddings.LayerNorm.weight', [h]],
    ['roberta.embeddings.LayerNorm.bias', [h]],
  ];
  for (let i = 0; i < 24; i++) {
    const p = `roberta.encoder.layer.${i}.`;
    for (const n of ['attention.self.query', 'attention.self.key', 'attention.self.value', 'attention.output.dense']) {
      out.push([`${p}${n}.weight`, [h, h]], [`${p}${n}.bias`, [h]]);
    }
    out.push(
      [`${p}attention.output.LayerNorm.weight`, [h]],
      [`${p}attention.output.LayerNorm.bias`, [h]],
      [`${p}intermediate.dense.weight`, [ffn, h]],
      [`${p}intermediate.dense.bias`, [ffn]],
      [`${p}output.dense.weight`, [h, ffn]],
      [`${p}output.dense.bias`, [h]],
      [`${p}output.LayerNorm.weight`, [h]],
      [`${p}output.LayerNorm.bias`, [h]],
    );
  }
  out.push(['roberta.pooler.dense.weight', [h, h]], ['roberta.pooler.dense.bias', [h]]);
  return out;
}

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] !== undefined ? (process.argv[i + 1] as string) : fallback;
}

/** Writes model.safetensors: every tensor is a view of one shared random buffer, so the writer holds ~200 MB. */
async function writeSafetensors(io: IoModule, path: string): Promise<void> {
  const shapes = robertaLargeShapes();
  const largest = Math.max(...shapes.map(([, s]) => s.reduce((a, b) => a * b, 1)));
  const pool = new Float32Array(largest);
  for (let i = 0; i < pool.length; i++) pool[i] = Math.random() * 0.1 - 0.05;
  const tensors = new Map(
    shapes.map(([name, shape]) => [
      name,
      {
        dtype: 'F32' as const,
        shape,
        data: pool.subarray(
          0,
          shape.reduce((a, b) => a * b, 1),
        ),
      },
    ]),
  );
  await io.saveSafetensors(path, tensors, { metadata: { format: 'pt' } });
}

/** Converts model.safetensors to pytorch_model.bin (zip) and pytorch_model.legacy.bin with torch, if present. */
function writeTorch(dir: string): boolean {
  const script = `
import json, struct, sys, torch
d = sys.argv[1]
raw = open(d + '/model.safetensors', 'rb').read()
n = struct.unpack('<Q', raw[:8])[0]
header = json.loads(raw[8:8 + n])
state = {}
for name, info in header.items():
    if name == '__metadata__': continue
    b, e = info['data_offsets']
    state[name] = torch.frombuffer(bytearray(raw[8 + n + b:8 + n + e]), dtype=torch.float32).reshape(info['shape'])
del raw
torch.save(state, d + '/pytorch_model.bin')
torch.save(state, d + '/pytorch_model.legacy.bin', _use_new_zipfile_serialization=False)
`;
  try {
    execFileSync('/usr/bin/python3', ['-c', script, dir], {
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, OMP_WAIT_POLICY: 'PASSIVE' },
    });
    return true;
  } catch (err) {
    console.log(`(no torch checkpoints: ${(err as Error).message.split('\n')[0]})`);
    return false;
  }
}

interface ChildReport {
  tensors: number;
  seconds: number;
  baselineRssMb: number;
  peakRssMb: number;
}

/** Runs in the child: loads `path` in `mode` and prints a ChildReport as JSON. */
async function child(path: string, mode: string): Promise<void> {
  const io = (await import(IO)) as IoModule;
  const tf = await import('@tensorflow/tfjs');
  if (mode === 'tf-wasm') await import('@tensorflow/tfjs-backend-wasm');
  await tf.setBackend(mode === 'tf-wasm' ? 'wasm' : 'cpu');
  const baselineRssMb = process.resourceUsage().maxRSS / 1024;
  const t0 = performance.now();
  let tensors = 0;
  if (mode === 'touch') {
    const source = await io.openWeights(path);
    const kept: Uint8Array[] = [];
    for (const info of source.entries.values()) {
      kept.push(new Uint8Array(info.shape.reduce((a, b) => a * b, 1) * io.DTYPE_BYTES[info.dtype]).fill(1));
    }
    await source.close();
    tensors = kept.length;
  } else if (mode === 'raw') {
    const source = await io.openWeights(path);
    try {
      const all = new Map();
      for (const name of source.names) all.set(name, await source.readRaw(name));
      tensors = all.size;
    } finally {
      await source.close();
    }
  } else {
    const all = await io.loadWeights(path);
    tensors = all.size;
  }
  const seconds = (performance.now() - t0) / 1000;
  const report: ChildReport = { tensors, seconds, baselineRssMb, peakRssMb: process.resourceUsage().maxRSS / 1024 };
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

async function main(): Promise<void> {
  if (process.argv[2] === '--child') return child(process.argv[3] as string, process.argv[4] as string);
  const modes = arg('--modes', 'touch,raw,tf-cpu,tf-wasm').split(',');
  const keep = arg('--keep', '');
  const dir = keep || (await mkdtemp(join(tmpdir(), 'kadapter-io-mem-')));
  const io = (await import(IO)) as IoModule;
  try {
    const st = join(dir, 'model.safetensors');
    const files = [st];
    if (keep && existsSync(st)) {
      console.log(`reusing the files in ${dir}`);
      for (const f of ['pytorch_model.bin', 'pytorch_model.legacy.bin'])
        if (existsSync(join(dir, f))) files.push(join(dir, f));
    } else {
      let t0 = performance.now();
      await writeSafetensors(io, st);
      console.log(`wrote ${st} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      t0 = performance.now();
      if (writeTorch(dir)) {
        files.push(join(dir, 'pytorch_model.bin'), join(dir, 'pytorch_model.legacy.bin'));
        console.log(`wrote the torch checkpoints in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      }
    }
    console.log(`node ${process.version}, ${process.platform} ${process.arch}`);
    console.log('file                        mode     size MB  tensors  load s  rss before MB  peak rss MB  peak/size');
    for (const file of files) {
      const sizeMb = statSync(file).size / 2 ** 20;
      for (const mode of modes.filter((m) => m !== 'touch' || file === st)) {
        const script = fileURLToPath(import.meta.url);
        const run = spawnSync(process.execPath, [...process.execArgv, script, '--child', file, mode], {
          encoding: 'utf8',
          maxBuffer: 1 << 20,
        });
        const line = run.stdout.trim().split('\n').at(-1) ?? '';
        if (run.status !== 0 || !line.startsWith('{')) {
          console.log(`${file} ${mode}: child failed (status ${run.status})\n${run.stderr.slice(-2000)}`);
          continue;
        }
        const r = JSON.parse(line) as ChildReport;
        console.log(
          [
            file.slice(dir.length + 1).padEnd(27),
            mode.padEnd(7),
            sizeMb.toFixed(0).padStart(8),
            String(r.tensors).padStart(8),
            r.seconds.toFixed(2).padStart(7),
            r.baselineRssMb.toFixed(0).padStart(14),
            r.peakRssMb.toFixed(0).padStart(12),
            (r.peakRssMb / sizeMb).toFixed(2).padStart(10),
          ].join(' '),
        );
      }
    }
  } finally {
    if (!keep) await rm(dir, { recursive: true, force: true });
  }
}

await main();
