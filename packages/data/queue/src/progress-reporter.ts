import { basename } from 'node:path';
import type { QueueEvents } from 'bullmq';
import cliProgress from 'cli-progress';
import type { TrexBuildPlan } from './build-plan.js';
import type { JobProgress } from './job-data.js';

export interface BuildProgressOptions {
  /** where progress goes (default stderr): bars on a TTY, plain lines otherwise */
  stream?: NodeJS.WritableStream & { isTTY?: boolean };
  silent?: boolean;
  /** plain lines: at most one progress line per job per this many ms (default 2000); state changes always print */
  intervalMs?: number;
}

type QueueEventName = 'active' | 'progress' | 'completed' | 'failed' | 'stalled';

interface Output {
  /** a state change or message, always shown */
  line(text: string): void;
  /** a job's progress: `fraction` in [0, 1] of its work, `text` what it is doing */
  progress(jobId: string, label: string, fraction: number, text: string): void;
  /** the job is over: drop its bar */
  finish(jobId: string): void;
  stop(): void;
}

const PREFIX = 'trex queue: ';

/** Plain lines, each job's progress throttled to one line per `intervalMs`. */
function lineOutput(stream: NodeJS.WritableStream, intervalMs: number): Output {
  const last = new Map<string, number>();
  return {
    line: (text) => stream.write(`${PREFIX}${text}\n`),
    progress(jobId, label, _fraction, text) {
      const now = Date.now();
      if (now - (last.get(jobId) ?? 0) < intervalMs) return;
      last.set(jobId, now);
      stream.write(`${PREFIX}${label}: ${text}\n`);
    },
    finish: (jobId) => last.delete(jobId),
    stop() {},
  };
}

/** cli-progress bars on a TTY: one per running job; state changes are logged above them. */
function barOutput(stream: NodeJS.WritableStream): Output {
  const multi = new cliProgress.MultiBar(
    {
      stream: stream as NodeJS.WriteStream,
      format: '{label} [{bar}] {percentage}% | {text}',
      hideCursor: true,
      clearOnComplete: true,
      forceRedraw: true,
    },
    cliProgress.Presets.shades_classic,
  );
  const bars = new Map<string, cliProgress.SingleBar>();
  return {
    line: (text) => multi.log(`${PREFIX}${text}\n`),
    progress(jobId, label, fraction, text) {
      let bar = bars.get(jobId);
      if (!bar) {
        bar = multi.create(1000, 0, { label, text });
        bars.set(jobId, bar);
      }
      bar.update(Math.round(fraction * 1000), { label, text });
    },
    finish(jobId) {
      const bar = bars.get(jobId);
      if (bar) multi.remove(bar);
      bars.delete(jobId);
    },
    stop: () => multi.stop(),
  };
}

function megabytes(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

/**
 * Shows the progress of one build from the submitter's side, fed by BullMQ `QueueEvents`: when each
 * file job starts, how far it has read, when it is cleaned or stalls (its worker died) and goes back
 * to the queue, failures, and the merge. Events of other builds on the same queue are ignored.
 */
export class BuildProgressReporter {
  private readonly out: Output | undefined;
  private readonly labels = new Map<string, string>();
  private readonly done = new Set<string>();
  private readonly listeners: Array<[QueueEventName, (args: { jobId: string }) => void]> = [];

  constructor(
    private readonly plan: TrexBuildPlan,
    options: BuildProgressOptions = {},
  ) {
    const stream = options.stream ?? process.stderr;
    if (!options.silent) this.out = stream.isTTY ? barOutput(stream) : lineOutput(stream, options.intervalMs ?? 2000);
    const n = plan.inputs.length;
    plan.fileJobIds.forEach((id, i) => {
      this.labels.set(id, `file ${i + 1}/${n} ${basename((plan.inputs[i] as { path: string }).path)}`);
    });
    this.labels.set(plan.id, 'merge');
  }

  /** Starts listening (call after `events.waitUntilReady()`); `stop()` stops. */
  listen(events: QueueEvents): void {
    const on = (name: QueueEventName, handler: (args: { jobId: string } & Record<string, unknown>) => void) => {
      const listener = (args: { jobId: string }) => {
        if (this.labels.has(args.jobId)) handler(args as { jobId: string } & Record<string, unknown>);
      };
      this.listeners.push([name, listener]);
      events.on(name, listener);
    };
    this.detach = () => {
      for (const [name, listener] of this.listeners.splice(0)) events.off(name, listener);
    };
    on('active', ({ jobId }) => this.line(jobId, 'started'));
    on('progress', ({ jobId, data }) => this.progress(jobId, data as JobProgress));
    on('completed', ({ jobId }) => {
      if (jobId !== this.plan.id) this.done.add(jobId);
      this.out?.finish(jobId);
      const files = `${this.done.size}/${this.plan.inputs.length} files done`;
      this.line(jobId, jobId === this.plan.id ? 'done' : `done (${files})`);
    });
    on('failed', ({ jobId, failedReason }) => {
      this.out?.finish(jobId);
      this.line(jobId, `failed: ${String(failedReason)}`);
    });
    on('stalled', ({ jobId }) => {
      this.out?.finish(jobId);
      this.line(jobId, 'stalled (its worker stopped renewing the lock): back in the queue for another worker');
    });
  }

  private detach = () => {};

  /** A message about the build as a whole. */
  message(text: string): void {
    this.out?.line(text);
  }

  private line(jobId: string, text: string): void {
    this.out?.line(`${this.labels.get(jobId)}: ${text}`);
  }

  private progress(jobId: string, p: JobProgress): void {
    const label = this.labels.get(jobId) as string;
    if (p.phase === 'test-delay') this.line(jobId, `held by ${p.worker} (test delay)`);
    else if (p.phase === 'clean') {
      const text = `${p.documents} docs, ${megabytes(p.bytes)} of ${megabytes(p.totalBytes)} (${p.worker})`;
      this.out?.progress(jobId, label, p.totalBytes > 0 ? p.bytes / p.totalBytes : 0, text);
    } else if (p.phase === 'cleaned')
      this.line(jobId, `cleaned by ${p.worker}: ${p.documents} docs, ${p.examples} examples`);
    else if (p.phase === 'merge-inputs') {
      const text = `loaded ${p.files}/${p.totalFiles} per-file outputs (${p.worker})`;
      this.out?.progress(jobId, label, p.files / p.totalFiles, text);
    } else if (p.phase === 'merge-write')
      this.line(jobId, `writing shards, relations.json and manifest.json (${p.worker})`);
  }

  stop(): void {
    this.detach();
    this.out?.stop();
  }
}
