import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type SourceProcess, sharedPath, startSourceProcess, useRedis, useTempDir } from '@kadapter/test-utils';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { runCli } from '../src/index.js';
import { capture } from './capture.js';

const CLI_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');
const SAMPLE = sharedPath('data', 'trex', 'sample-output.json');

const tempDir = useTempDir('kadapter-cli-queue-');
let dir = '';
beforeAll(async () => {
  dir = await tempDir();
});
const redisServer = useRedis();
const workers: SourceProcess[] = [];
afterAll(async () => {
  for (const w of workers) w.child.kill('SIGKILL');
});

/** Every file of a flat output directory, by name. */
function files(path: string): Record<string, string> {
  return Object.fromEntries(readdirSync(path).map((name) => [name, readFileSync(join(path, name), 'latin1')]));
}

/** The summary line without the timing fields, which differ between runs. */
function counts(stdout: string[]) {
  const { seconds: _s, documentsPerSecond: _d, ...rest } = JSON.parse(stdout.join(''));
  return rest;
}

describe('kadapter build-data trex --queue', () => {
  afterEach(() => vi.restoreAllMocks());

  it('two `--worker` processes, one killed while holding a job: same output and counts as the in-process build', async (ctx) => {
    const redis = redisServer.server();
    if (!redis) return ctx.skip(redisServer.skipNote);
    // 4 inputs: the sample, then copies that differ in trailing whitespace (other sha256, other jobs)
    const inputs = join(dir, 'inputs');
    mkdirSync(inputs);
    for (let k = 0; k < 4; k++)
      writeFileSync(join(inputs, `part-${k}.json`), readFileSync(SAMPLE, 'utf8') + ' '.repeat(k));
    const build = ['build-data', 'trex', '--input', inputs, '--min-count', '1', '--seed', '3', '--shard-size', '100'];

    const local = capture();
    expect(await runCli([...build, '--out', join(dir, 'local'), '--workers', '2', '--quiet'])).toBe(0);
    vi.restoreAllMocks();

    const workerArgs = ['--queue', redis.url, '--worker', '--lock-duration', '5000', '--stalled-interval', '1000'];
    for (let i = 0; i < 2; i++)
      workers.push(
        await startSourceProcess(
          CLI_DIR,
          join('src', 'bin.ts'),
          ['build-data', 'trex', ...workerArgs, '--test-delay-ms', '1500'],
          /: ready: queue /,
        ),
      );
    // kill the worker that first holds a job (it is in the test delay, before cleaning the file)
    let killed: SourceProcess | undefined;
    const queued = capture((text) => {
      const pid = /held by [^ ]+:(\d+) \(test delay\)/.exec(text)?.[1];
      if (killed || pid === undefined) return;
      killed = workers.find((w) => String(w.child.pid) === pid);
      killed?.child.kill('SIGKILL');
    });
    expect(await runCli([...build, '--out', join(dir, 'queued'), '--queue', redis.url])).toBe(0);
    vi.restoreAllMocks();

    expect(killed).toBeDefined();
    expect(await killed?.exited).toEqual({ code: null, signal: 'SIGKILL' });
    const progress = queued.err.join('');
    expect(progress).toMatch(/trex queue: build trex-build-[0-9a-f]{32}: 4 files queued on redis:\/\/127\.0\.0\.1:\d+/);
    expect(progress).toMatch(/trex queue: file \d\/4 part-\d\.json: stalled \(its worker stopped renewing the lock\)/);
    expect(progress).toMatch(/trex queue: file \d\/4 part-\d\.json: done \(4\/4 files done\)/);
    expect(progress).toMatch(/trex queue: merge: done/);
    expect(counts(queued.out)).toEqual({ ...counts(local.out), out: join(dir, 'queued') });
    // 4 × the sample: 2 documents and 99 cleaned examples each (../shared/fixtures/trex-clean/README.md)
    expect(counts(local.out)).toMatchObject({ documents: 8, cleaned: 396, kept: 396 });
    const [a, b] = [files(join(dir, 'queued')), files(join(dir, 'local'))];
    expect(Object.keys(a).sort()).toEqual(Object.keys(b).sort());
    for (const name of Object.keys(b)) expect(a[name] === b[name], name).toBe(true);

    // SIGTERM stops the other worker cleanly
    const survivor = workers.find((w) => w !== killed);
    survivor?.child.kill('SIGTERM');
    expect(await survivor?.exited).toEqual({ code: 0, signal: null });
  });

  it('refuses --worker without --queue, a build without --input, and a URL that is not redis://', async () => {
    const { err } = capture();
    expect(await runCli(['build-data', 'trex', '--worker'])).toBe(1);
    expect(await runCli(['build-data', 'trex', '--out', join(dir, 'x'), '--queue', 'redis://127.0.0.1:1'])).toBe(1);
    expect(
      await runCli(['build-data', 'trex', '--input', SAMPLE, '--out', join(dir, 'x'), '--queue', 'http://x']),
    ).toBe(2);
    const text = err.join('');
    expect(text).toContain('--worker needs --queue redis://host:port');
    expect(text).toContain("required option '--input <paths...>' not specified");
    expect(text).toMatch(/kadapter: error E_CONFIG: field 'queue': expected a redis:\/\/ or rediss:\/\/ URL/);
  });
});
