import { join } from 'node:path';
import { buildTrexDataset } from '@kadapter/data-trex';
import { Queue, QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import { useRedis, useTempDir } from '@kadapter/test-utils';
import { describe, expect, it } from 'vitest';
import { DEFAULT_QUEUE_NAME, type JobProgress, submitTrexBuild } from '../src/index.js';
import { mtimes, PACKAGE_DIR, readTree, spawnWorker, textSink, writeTrexInputs } from './helpers.js';

const redis = useRedis();
const tempDir = useTempDir('kadapter-queue-test-');

/** Build options shared by the in-process reference and the queue build. */
const OPTIONS = { minCount: 1, seed: 7, devFraction: 0.2, shardSize: 40 } as const;
/**
 * Short lock and stalled-check times, so a killed worker's job comes back within seconds (a 5 s lock
 * renewed every 2.5 s leaves room for a loaded CI machine).
 */
const WORKER_ARGS = ['--lock-duration', '5000', '--stalled-interval', '1000', '--test-delay-ms', '1000'];

describe('T-REx build on BullMQ (real redis-server, 2 worker processes)', () => {
  it('a worker killed mid-job: the job comes back, and the output equals the in-process build byte for byte', async (ctx) => {
    const server = redis.server();
    if (!server) return ctx.skip(redis.skipNote);
    const dir = await tempDir();
    await writeTrexInputs(join(dir, 'inputs'));
    const inputs = [join(dir, 'inputs')];

    // reference: the in-process build (worker threads) of the same inputs, per-file outputs kept
    const reference = await buildTrexDataset({
      inputs,
      outDir: join(dir, 'ref'),
      workDir: join(dir, 'ref-work'),
      workers: 2,
      progress: { silent: true },
      ...OPTIONS,
    });
    expect(reference.manifest.counts.issues).toMatchObject({ invalid_document: 1, malformed_json: 1 });

    const script = join('src', 'worker-main.ts');
    const workers = [
      await spawnWorker(PACKAGE_DIR, script, ['--queue', server.url, ...WORKER_ARGS]),
      await spawnWorker(PACKAGE_DIR, script, ['--queue', server.url, ...WORKER_ARGS]),
    ];
    // watch the jobs: kill the first worker that reports a cleaned file while still holding the job
    const events = new QueueEvents(DEFAULT_QUEUE_NAME, {
      connection: new Redis(server.url, { maxRetriesPerRequest: null }),
    });
    await events.waitUntilReady();
    let killed: { jobId: string; worker: string } | undefined;
    events.on('progress', ({ jobId, data }) => {
      const p = data as JobProgress;
      if (killed || p.phase !== 'cleaned') return;
      const victim = workers.find((w) => w.name === p.worker);
      if (!victim) return;
      killed = { jobId, worker: victim.name };
      victim.child.kill('SIGKILL');
    });

    const progress = textSink();
    const submit = () =>
      submitTrexBuild({
        redis: server.url,
        inputs,
        outDir: join(dir, 'queue'),
        workDir: join(dir, 'queue-work'),
        progress: { stream: progress.stream, intervalMs: 0 },
        ...OPTIONS,
      });
    const result = await submit();
    await events.close();

    // the kill happened mid-job, and the job was finished by the other worker after a stall
    expect(killed).toBeDefined();
    const victim = workers.find((w) => w.name === killed?.worker);
    const survivor = workers.find((w) => w !== victim);
    expect(await victim?.exited).toEqual({ code: null, signal: 'SIGKILL' });
    const job = result.jobs.find((j) => j.id === killed?.jobId);
    expect(job?.processedBy).toBe(survivor?.name);
    expect(job?.attemptsStarted).toBeGreaterThanOrEqual(2);
    expect(job?.stalledCounter).toBeGreaterThanOrEqual(1);
    expect(progress.text()).toMatch(/stalled \(its worker stopped renewing the lock\): back in the queue/);
    expect(progress.text()).toMatch(/merge: done/);

    // identical output: shards, relations.json, manifest.json, and every per-file output
    const [queued, expected] = [await readTree(join(dir, 'queue')), await readTree(join(dir, 'ref'))];
    expect([...queued.keys()]).toEqual([...expected.keys()]);
    expect([...queued.keys()].filter((f) => f.endsWith('.jsonl')).length).toBeGreaterThan(2);
    for (const [name, bytes] of expected) expect(queued.get(name)?.equals(bytes), name).toBe(true);
    const [queuedWork, expectedWork] = [await readTree(join(dir, 'queue-work')), await readTree(join(dir, 'ref-work'))];
    expect([...queuedWork.keys()]).toEqual([...expectedWork.keys()]);
    for (const [name, bytes] of expectedWork) expect(queuedWork.get(name)?.equals(bytes), name).toBe(true);
    expect(result.manifest).toEqual(reference.manifest);
    // the killed worker was the first to clean a file, so it finished no job: one worker did them all
    expect(result.stats.workers).toBe(1);

    // the same build submitted again: deduplicated, nothing written, no job added or run
    const queue = new Queue(DEFAULT_QUEUE_NAME, { connection: new Redis(server.url, { maxRetriesPerRequest: null }) });
    const countsBefore = await queue.getJobCounts();
    const timesBefore = [await mtimes(join(dir, 'queue')), await mtimes(join(dir, 'queue-work'))];
    const again = await submit();
    expect(again.deduplicated).toBe(true);
    expect(again.buildId).toBe(result.buildId);
    expect(again.manifest).toEqual(result.manifest);
    expect(again.jobs).toEqual(result.jobs);
    expect(await queue.getJobCounts()).toEqual(countsBefore);
    expect(countsBefore).toMatchObject({ completed: 7, failed: 0, active: 0, waiting: 0 });
    expect([await mtimes(join(dir, 'queue')), await mtimes(join(dir, 'queue-work'))]).toEqual(timesBefore);
    await queue.close();

    // SIGTERM: the surviving worker closes cleanly
    survivor?.child.kill('SIGTERM');
    expect(await survivor?.exited).toEqual({ code: 0, signal: null });
  });
});
