#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { isKAdapterError } from '@kadapter/core';
import { DEFAULT_QUEUE_NAME } from './job-data.js';
import { runTrexWorker } from './worker.js';

const USAGE = `usage: kadapter-queue-worker --queue redis://host:port[/db] [options]

Runs T-REx build jobs (submitted with kadapter build-data trex --queue URL) until SIGINT/SIGTERM.

  --queue <url>              Redis URL (required)
  --queue-name <name>        BullMQ queue (default ${DEFAULT_QUEUE_NAME})
  --concurrency <n>          jobs at once (default 1; run one worker process per core)
  --lock-duration <ms>       a job whose worker stops renewing its lock this long is stalled (default 30000)
  --stalled-interval <ms>    how often to look for stalled jobs (default 30000)
  --max-stalled-count <n>    stalls a job may have before it fails (default 1)
  --test-delay-ms <ms>       TEST ONLY: hold each job this long before and after its work
`;

function integer(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new Error(`--${name} expects a non-negative integer, got ${JSON.stringify(value)}`);
  return Number(value);
}

/** `kadapter-queue-worker`: the worker process of @kadapter/data-queue. */
async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      queue: { type: 'string' },
      'queue-name': { type: 'string' },
      concurrency: { type: 'string' },
      'lock-duration': { type: 'string' },
      'stalled-interval': { type: 'string' },
      'max-stalled-count': { type: 'string' },
      'test-delay-ms': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help || values.queue === undefined) {
    process.stderr.write(USAGE);
    return values.help ? 0 : 1;
  }
  await runTrexWorker({
    redis: values.queue,
    queueName: values['queue-name'],
    concurrency: integer('concurrency', values.concurrency),
    lockDurationMs: integer('lock-duration', values['lock-duration']),
    stalledIntervalMs: integer('stalled-interval', values['stalled-interval']),
    maxStalledCount: integer('max-stalled-count', values['max-stalled-count']),
    testDelayMs: integer('test-delay-ms', values['test-delay-ms']),
  });
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    // typed errors (Redis unreachable, bad URL) need no usage text; argument errors do
    const [code, usage] = isKAdapterError(err) ? [` ${err.code}`, ''] : ['', USAGE];
    process.stderr.write(`kadapter-queue-worker: error${code}: ${(err as Error).message}\n${usage}`);
    process.exitCode = 2;
  },
);
