import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BudgetError, ConfigError, DataError, KAdapterError, NetworkError } from '@kadapter/core';
import { buildTrexDataset } from '@kadapter/data-trex';
import { errorOf, freePort, useRedis, useTempDir } from '@kadapter/test-utils';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_QUEUE_NAME, startTrexWorker, submitTrexBuild, type TrexWorker } from '../src/index.js';
import { SAMPLE, writeTrexInputs } from './helpers.js';

const redis = useRedis();
const tempDir = useTempDir('kadapter-queue-test-');

let worker: TrexWorker | undefined;
afterAll(async () => {
  await worker?.close();
});

/** One in-process worker for this file's builds (the kill test uses worker processes). */
async function useWorker(url: string): Promise<void> {
  worker ??= await startTrexWorker({ redis: url, log: null });
}

/** The typed error a promise rejects with. */
async function rejection(promise: Promise<unknown>): Promise<KAdapterError> {
  const err = await errorOf(promise);
  expect(err).toBeInstanceOf(KAdapterError);
  return err as KAdapterError;
}

describe('typed errors through the queue', () => {
  it('a merge error (strict, relation outside the official labels) comes back as the in-process DataError', async (ctx) => {
    const server = redis.server();
    if (!server) return ctx.skip(redis.skipNote);
    await useWorker(server.url);
    const dir = await tempDir();
    const options = { inputs: [SAMPLE], minCount: 1, labels: 'official', strict: true } as const;
    const expected = await rejection(
      buildTrexDataset({ ...options, outDir: join(dir, 'ref'), workers: 0, progress: { silent: true } }),
    );
    expect(expected.message).toMatch(/relation P729/);
    const submit = () =>
      submitTrexBuild({ ...options, redis: server.url, outDir: join(dir, 'queue'), progress: { silent: true } });
    const err = await rejection(submit());
    expect(err).toBeInstanceOf(DataError);
    expect(err.message).toBe(expected.message);
    expect(err.location).toEqual(expected.location);
    expect(err.location).toMatchObject({ file: SAMPLE, field: 'predicate.uri' });
    // submitted again, the failed build is replaced and runs again (it neither hangs nor reports old state)
    const queue = new Queue(DEFAULT_QUEUE_NAME, { connection: new Redis(server.url, { maxRetriesPerRequest: null }) });
    const before = await queue.getJobCounts();
    const again = await rejection(submit());
    expect(again.message).toBe(expected.message);
    expect(await queue.getJobCounts()).toEqual(before);
    await queue.close();
  });

  it('a file job error (strict, bad document) fails the build with the in-process error, naming file and offset', async (ctx) => {
    const server = redis.server();
    if (!server) return ctx.skip(redis.skipNote);
    await useWorker(server.url);
    const dir = await tempDir();
    await writeTrexInputs(join(dir, 'inputs'), 3, 1);
    const options = { inputs: [join(dir, 'inputs')], minCount: 1, strict: true };
    const expected = await rejection(
      buildTrexDataset({ ...options, outDir: join(dir, 'ref'), workers: 0, progress: { silent: true } }),
    );
    expect(expected.location).toMatchObject({ file: join(dir, 'inputs', 'part-2.json'), field: 'words_boundaries[0]' });
    expect(expected.location.offset).toBeGreaterThan(0);
    const err = await rejection(
      submitTrexBuild({ ...options, redis: server.url, outDir: join(dir, 'queue'), progress: { silent: true } }),
    );
    expect(err).toBeInstanceOf(DataError);
    expect(err.message).toBe(expected.message);
    expect(err.location).toEqual(expected.location);
  });

  it('waiting longer than timeoutMs is a BudgetError (no worker on that queue)', async (ctx) => {
    const server = redis.server();
    if (!server) return ctx.skip(redis.skipNote);
    const dir = await tempDir();
    const err = await rejection(
      submitTrexBuild({
        inputs: [SAMPLE],
        redis: server.url,
        queueName: 'no-workers',
        outDir: join(dir, 'out'),
        timeoutMs: 500,
        progress: { silent: true },
      }),
    );
    expect(err).toBeInstanceOf(BudgetError);
    expect(err.location.field).toBe('timeoutMs');
  });
});

describe('submitting a build again', () => {
  it('a finished build whose output was removed runs again (cleaning merge leftovers); one whose output stands is deduplicated', async (ctx) => {
    const server = redis.server();
    if (!server) return ctx.skip(redis.skipNote);
    await useWorker(server.url);
    const dir = await tempDir();
    const submit = () =>
      submitTrexBuild({
        inputs: [SAMPLE],
        minCount: 1,
        redis: server.url,
        outDir: join(dir, 'out'),
        progress: { silent: true },
      });
    const first = await submit();
    // the sample's counts from ../shared/fixtures/trex-clean/README.md
    expect(first.manifest.counts).toMatchObject({ documents: 2, cleaned: 99, kept: 99 });
    expect(first.deduplicated).toBe(false);
    const manifest = await readFile(join(dir, 'out', 'manifest.json'));
    expect((await submit()).deduplicated).toBe(true);
    await rm(join(dir, 'out'), { recursive: true });
    // what a merge killed mid-way leaves (temp names of mergeTrexOutputs): removed by the next merge
    await mkdir(join(dir, 'out', '.merge-tmp-123-0badc0de'), { recursive: true });
    await writeFile(join(dir, 'out', 'train-00000-of-00001.jsonl.tmp-123-0badc0de'), 'partial');
    const rebuilt = await submit();
    expect((await readdir(join(dir, 'out'))).sort()).toEqual([
      'dev-00000-of-00001.jsonl',
      'manifest.json',
      'relations.json',
      'train-00000-of-00001.jsonl',
    ]);
    expect(rebuilt.deduplicated).toBe(false);
    expect(rebuilt.buildId).toBe(first.buildId);
    expect((await readFile(join(dir, 'out', 'manifest.json'))).equals(manifest)).toBe(true);
  });
});

describe('Redis address', () => {
  it('a URL that is not redis:// is a ConfigError naming the option', async () => {
    const err = await rejection(submitTrexBuild({ inputs: [SAMPLE], outDir: '/tmp/x', redis: 'http://localhost:1' }));
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.message).toMatch(/field 'queue': expected a redis:\/\/ or rediss:\/\/ URL/);
  });

  it('an address where nothing listens is a NetworkError, not an endless retry', async () => {
    const url = `redis://127.0.0.1:${await freePort()}`;
    const err = await rejection(startTrexWorker({ redis: url, log: null }));
    expect(err).toBeInstanceOf(NetworkError);
    expect(err.message).toContain(`Redis at ${url}`);
  });
});
