/**
 * The same T-REx build in process (worker threads) and on the queue (BullMQ worker processes on a
 * throwaway redis-server), on generated inputs: prints both wall times, their ratio, the time of a
 * duplicated submission, and checks that both output directories hold the same bytes.
 *
 *   cd packages/data/queue && npx tsx --conditions=@kadapter/source bench/queue-vs-in-process.ts [--files 4] [--mb 25] [--workers 2]
 *
 * Inputs: one file from tools/perf's generator (`trex-stream-memory.ts --generate-only`: the sample's
 * documents repeated with new docids, predicates over 40 official relations), copied `--files` times
 * with k trailing spaces so every copy has its own sha256 (its own job, no shared per-file output).
 * Worker start-up (tsx) is not timed: the workers are started and ready before the submission.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildTrexDataset } from '@kadapter/data-trex';
import { findServiceBinary, startRedisServer, startSourceProcess } from '@kadapter/test-utils';
import { submitTrexBuild } from '../src/index.js';

const PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url));
const PERF_DIR = fileURLToPath(new URL('../../../../tools/perf', import.meta.url));

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

async function sameBytes(a: string, b: string): Promise<boolean> {
  const [na, nb] = [(await readdir(a)).sort(), (await readdir(b)).sort()];
  if (na.join() !== nb.join()) return false;
  for (const name of na) if (!(await readFile(join(a, name))).equals(await readFile(join(b, name)))) return false;
  return true;
}

const files = arg('--files', 4);
const mb = arg('--mb', 25);
const workers = arg('--workers', 2);
const redisServer = findServiceBinary('redis-server', 'apt-get install redis-server');
if (!redisServer.path) throw new Error(redisServer.skipNote);

const dir = await mkdtemp(join(tmpdir(), 'kadapter-queue-bench-'));
const server = await startRedisServer(redisServer.path);
const started: Awaited<ReturnType<typeof startSourceProcess>>[] = [];
try {
  const base = join(dir, 'base.json');
  execFileSync(
    'npx',
    ['tsx', '--conditions=@kadapter/source', 'src/trex-stream-memory.ts', '--generate-only', base, String(mb)],
    {
      cwd: PERF_DIR,
      stdio: 'ignore',
    },
  );
  await mkdir(join(dir, 'inputs'));
  const text = readFileSync(base, 'utf8');
  for (let k = 0; k < files; k++) writeFileSync(join(dir, 'inputs', `part-${k}.json`), text + ' '.repeat(k));
  const inputs = [join(dir, 'inputs')];
  const totalMb = (files * Buffer.byteLength(text)) / 1e6;
  console.log(
    `inputs: ${files} files, ${totalMb.toFixed(0)} MB; ${workers} workers; load average ${loadavg()[0]?.toFixed(1)}`,
  );

  const local = await buildTrexDataset({ inputs, outDir: join(dir, 'local'), workers, progress: { silent: true } });
  const s1 = local.stats.seconds;
  console.log(`in process (${workers} worker threads): ${s1.toFixed(1)} s, ${(totalMb / s1).toFixed(1)} MB/s`);

  for (let i = 0; i < workers; i++)
    started.push(
      await startSourceProcess(PACKAGE_DIR, 'src/worker-main.ts', ['--queue', server.url], /: ready: queue /),
    );
  const submit = () =>
    submitTrexBuild({ redis: server.url, inputs, outDir: join(dir, 'queue'), progress: { silent: true } });
  const queued = await submit();
  const s2 = queued.stats.seconds;
  console.log(
    `queue (${workers} worker processes): ${s2.toFixed(1)} s, ${(totalMb / s2).toFixed(1)} MB/s, incl. hashing the inputs`,
  );
  console.log(`queue / in-process wall time: ${(s2 / s1).toFixed(2)}`);
  const again = await submit();
  console.log(`same build submitted again: ${again.stats.seconds.toFixed(2)} s (deduplicated: ${again.deduplicated})`);
  console.log(
    `identical output: ${await sameBytes(join(dir, 'local'), join(dir, 'queue'))} (${local.manifest.counts.kept} examples kept)`,
  );
} finally {
  for (const w of started) w.child.kill('SIGTERM');
  await Promise.all(started.map((w) => w.exited));
  await server.stop();
  await rm(dir, { recursive: true, force: true });
}
