/**
 * Streaming memory of the T-REx builder: generates T-REx-like files of ~100 MB and ~1 GB (the real
 * sample's two documents repeated with perturbations: a new docid per copy and predicates spread
 * over 40 relations of the official list so the default min count of 50 keeps examples), builds
 * each one in a fresh child process and prints wall time, docs/s and the child's peak RSS. Flat
 * memory means about the same peak RSS for both sizes.
 *
 *   cd tools/perf && npx tsx --conditions=@kadapter/source src/trex-stream-memory.ts [--sizes-mb 100,1000] [--workers 1]
 *
 * `--generate-only <file> <mb>` only writes one generated file (input for other benchmarks).
 *
 * The builder is imported from its sources by path (this package does not depend on it).
 */
import { execFileSync } from 'node:child_process';
import { createWriteStream, readFileSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const TREX = '../../../packages/data/trex/src/index.js';
const SAMPLE = fileURLToPath(new URL('../../../../shared/data/trex/sample-output.json', import.meta.url));

interface ChildReport {
  seconds: number;
  documents: number;
  bytes: number;
  examples: number;
  train: number;
  dev: number;
  labels: number;
  peakRssMb: number;
  workers: number;
}

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] !== undefined ? (process.argv[i + 1] as string) : fallback;
}

/** Writes a JSON array of perturbed copies of the sample documents until `targetBytes` is reached. */
async function generate(path: string, targetBytes: number): Promise<{ documents: number; bytes: number }> {
  const { OFFICIAL_TREX_RELATIONS } = (await import(TREX)) as typeof import('../../../packages/data/trex/src/index.js');
  const pool = OFFICIAL_TREX_RELATIONS.slice(0, 40);
  const docs = JSON.parse(readFileSync(SAMPLE, 'utf8')) as Array<{
    docid: string;
    triples: Array<{ predicate: { uri: string } }>;
  }>;
  const out = createWriteStream(path);
  let bytes = 0;
  let n = 0;
  const write = async (s: string) => {
    bytes += Buffer.byteLength(s);
    if (!out.write(s)) await new Promise<void>((r) => out.once('drain', () => r()));
  };
  await write('[');
  while (bytes < targetBytes) {
    const doc = structuredClone(docs[n % docs.length]) as (typeof docs)[number];
    doc.docid = `${doc.docid}-${n}`;
    doc.triples.forEach((t, k) => {
      t.predicate.uri = `http://www.wikidata.org/prop/direct/${pool[(n * 7 + k) % pool.length]}`;
    });
    await write(`${n === 0 ? '\n' : ',\n'}${JSON.stringify(doc, null, 3)}`);
    n++;
  }
  await write('\n]\n');
  await new Promise<void>((r) => out.end(() => r()));
  return { documents: n, bytes };
}

/** Child mode: build one file and report. */
async function child(input: string, outDir: string, workers: number): Promise<void> {
  const { buildTrexDataset } = (await import(TREX)) as typeof import('../../../packages/data/trex/src/index.js');
  const { manifest, stats } = await buildTrexDataset({ inputs: [input], outDir, workers, progress: { silent: true } });
  const report: ChildReport = {
    seconds: stats.seconds,
    documents: stats.documents,
    bytes: stats.bytes,
    examples: manifest.counts.cleaned,
    train: manifest.counts.train,
    dev: manifest.counts.dev,
    labels: manifest.labels.length,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    workers: stats.workers,
  };
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

async function main(): Promise<void> {
  if (process.argv[2] === '--child') {
    await child(process.argv[3] as string, process.argv[4] as string, Number(process.argv[5]));
    return;
  }
  if (process.argv[2] === '--generate-only') {
    const gen = await generate(process.argv[3] as string, Number(process.argv[4]) * 1e6);
    console.log(`generated ${process.argv[3]}: ${gen.documents} documents, ${gen.bytes} bytes`);
    return;
  }
  const sizes = arg('--sizes-mb', '100,1000').split(',').map(Number);
  const workers = Number(arg('--workers', '1'));
  const dir = await mkdtemp(join(tmpdir(), 'kadapter-trex-perf-'));
  const rows: Array<{ mb: number; report: ChildReport }> = [];
  try {
    for (const mb of sizes) {
      const input = join(dir, `trex-${mb}mb.json`);
      const t0 = performance.now();
      const gen = await generate(input, mb * 1e6);
      console.log(
        `generated ${input}: ${gen.documents} documents, ${(statSync(input).size / 1e6).toFixed(1)} MB in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
      );
      const self = fileURLToPath(import.meta.url);
      const stdout = execFileSync(
        process.execPath,
        [...process.execArgv, self, '--child', input, join(dir, `out-${mb}`), String(workers)],
        { encoding: 'utf8', maxBuffer: 1 << 20 },
      );
      const report = JSON.parse(stdout.trim().split('\n').at(-1) as string) as ChildReport;
      rows.push({ mb, report });
      console.log(
        `build ${mb} MB: ${report.seconds.toFixed(1)} s wall, ${(report.documents / report.seconds).toFixed(0)} docs/s, ` +
          `${(report.bytes / 1e6 / report.seconds).toFixed(1)} MB/s, peak RSS ${report.peakRssMb.toFixed(0)} MB ` +
          `(${report.examples} cleaned examples, ${report.train}/${report.dev} train/dev, ${report.labels} labels, ${report.workers} worker)`,
      );
      await rm(input, { force: true });
      await rm(join(dir, `out-${mb}`), { recursive: true, force: true });
    }
    const first = rows[0];
    const last = rows.at(-1);
    if (first && last && rows.length > 1)
      console.log(
        `peak RSS ratio ${last.mb} MB / ${first.mb} MB input: ${(last.report.peakRssMb / first.report.peakRssMb).toFixed(2)} ` +
          `(input size ratio ${(last.report.bytes / first.report.bytes).toFixed(1)})`,
      );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
