import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import type { QueueEvents } from 'bullmq';
import { describe, expect, it } from 'vitest';
import type { TrexBuildPlan } from '../src/build-plan.js';
import { BuildProgressReporter } from '../src/progress-reporter.js';
import { textSink } from './helpers.js';

const PLAN = {
  id: 'trex-build-p',
  fileJobIds: ['f0', 'f1'],
  inputs: [
    { path: '/data/a.json', sha256: 'aa', bytes: 2_000_000 },
    { path: '/data/b.json', sha256: 'bb', bytes: 1_000_000 },
  ],
} as unknown as TrexBuildPlan;

/** Feeds the events a QueueEvents would emit. */
function feed(reporter: BuildProgressReporter): EventEmitter {
  const events = new EventEmitter();
  reporter.listen(events as unknown as QueueEvents);
  return events;
}

describe('BuildProgressReporter', () => {
  it('non-TTY: one plain line per state change, progress throttled per job, other builds ignored', () => {
    const sink = textSink();
    const reporter = new BuildProgressReporter(PLAN, { stream: sink.stream, intervalMs: 60_000 });
    const events = feed(reporter);
    events.emit('active', { jobId: 'f0' });
    events.emit('progress', {
      jobId: 'f0',
      data: { phase: 'clean', worker: 'h:1', bytes: 500_000, totalBytes: 2_000_000, documents: 10 },
    });
    events.emit('progress', {
      jobId: 'f0',
      data: { phase: 'clean', worker: 'h:1', bytes: 900_000, totalBytes: 2_000_000, documents: 20 },
    });
    events.emit('active', { jobId: 'someone-else' });
    events.emit('stalled', { jobId: 'f0' });
    events.emit('progress', { jobId: 'f0', data: { phase: 'cleaned', worker: 'h:2', documents: 40, examples: 99 } });
    events.emit('completed', { jobId: 'f0' });
    events.emit('failed', { jobId: 'f1', failedReason: 'boom' });
    events.emit('progress', { jobId: 'trex-build-p', data: { phase: 'merge-write', worker: 'h:2' } });
    events.emit('completed', { jobId: 'trex-build-p' });
    reporter.stop();
    events.emit('active', { jobId: 'f1' });
    expect(sink.text().split('\n')).toEqual([
      'trex queue: file 1/2 a.json: started',
      'trex queue: file 1/2 a.json: 10 docs, 0.5 MB of 2.0 MB (h:1)',
      'trex queue: file 1/2 a.json: stalled (its worker stopped renewing the lock): back in the queue for another worker',
      'trex queue: file 1/2 a.json: cleaned by h:2: 40 docs, 99 examples',
      'trex queue: file 1/2 a.json: done (1/2 files done)',
      'trex queue: file 2/2 b.json: failed: boom',
      'trex queue: merge: writing shards, relations.json and manifest.json (h:2)',
      'trex queue: merge: done',
      '',
    ]);
  });

  it('TTY: a progress bar per running job', async () => {
    const stream = Object.assign(new PassThrough(), { isTTY: true, columns: 100 });
    let text = '';
    stream.on('data', (c: Buffer) => {
      text += c.toString();
    });
    const reporter = new BuildProgressReporter(PLAN, { stream });
    const events = feed(reporter);
    events.emit('progress', {
      jobId: 'f1',
      data: { phase: 'clean', worker: 'h:1', bytes: 500_000, totalBytes: 1_000_000, documents: 3 },
    });
    await new Promise((resolve) => setTimeout(resolve, 300)); // cli-progress redraws on a timer
    reporter.stop();
    expect(text).toMatch(/file 2\/2 b\.json \[[█░]+\] 50% \| 3 docs, 0\.5 MB of 1\.0 MB \(h:1\)/);
  });

  it('silent: nothing', () => {
    const sink = textSink();
    const reporter = new BuildProgressReporter(PLAN, { stream: sink.stream, silent: true });
    feed(reporter).emit('active', { jobId: 'f0' });
    reporter.stop();
    expect(sink.text()).toBe('');
  });
});
