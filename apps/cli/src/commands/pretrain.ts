import { resolve } from 'node:path';
import { loadKnowledgeModule } from '@kadapter/core';
import { pretrain } from '@kadapter/pretrain';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { globalOptions, initBackendFor } from '../globals.js';
import { prepareOutput } from '../out-path.js';
import { jsonOption, printResult } from '../output.js';
import { fraction, nonNegativeInteger, positiveInteger } from './options.js';

interface PretrainCliOptions {
  knowledge: string;
  backbone: string;
  backboneName?: string;
  data?: string[];
  evalData?: string[];
  heldOut?: number;
  maxLen?: number;
  init?: string;
  name?: string;
  taps?: number[];
  adapterConfig?: Record<string, unknown>;
  out: string;
  epochs?: number;
  maxSteps?: number;
  batchSize?: number;
  gradAccum?: number;
  lr?: number;
  warmupSteps?: number;
  warmupFraction?: number;
  totalSteps?: number;
  dropout?: number;
  seed?: number;
  shuffle: boolean;
  evalEvery?: number;
  checkpointEvery?: number;
  resume?: boolean;
  cacheBudgetMb?: number;
  json?: boolean;
}

const number = (value: string) => {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0) throw new InvalidArgumentError('expected a number >= 0');
  return n;
};

const jsonObject = (value: string) => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw new InvalidArgumentError('expected a JSON object');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new InvalidArgumentError('expected a JSON object');
  }
  return parsed as Record<string, unknown>;
};

const taps = (value: string) => {
  const list = value.split(',').map((t) => Number(t.trim()));
  if (list.length === 0 || list.some((t) => !Number.isInteger(t) || t < 0)) {
    throw new InvalidArgumentError('expected hidden-state indices, e.g. 0,11,22');
  }
  return list;
};

/** `kadapter pretrain`: a knowledge module's pre-training task beside a frozen backbone, into a run directory. */
export function registerPretrain(program: Command): void {
  program
    .command('pretrain')
    .description(
      'pre-train a knowledge adapter beside a frozen backbone: the run directory gets run.json, metrics.jsonl, checkpoints/ and, at the end, adapter/ (an adapter directory with its pre-training head). Ctrl-C checkpoints and stops; --resume continues exactly',
    )
    .requiredOption(
      '--knowledge <module>',
      'knowledge-adapter module: a package name, a bare name x (tried as @kadapter/adapter-x, then x) or a directory',
    )
    .requiredOption('--backbone <dir|id>', 'model directory or Hugging Face Hub id (owner/name)')
    .option('--backbone-name <name>', 'label recorded for the backbone')
    .option('--data <files...>', "data files in the task's format (default: the module's bundled sample)")
    .option('--eval-data <files...>', 'held-out files to evaluate on')
    .option(
      '--held-out <fraction>',
      'fraction of --data held out for evaluation (seeded) without --eval-data',
      fraction,
    )
    .option('--max-len <n>', "padded sequence length (default: the module's, else 64)", positiveInteger)
    .option(
      '--init <adapter-dir>',
      'start from this adapter directory (its pre-training head too, which fixes the class count)',
    )
    .option('--name <name>', "the adapter's name (default: the module's)")
    .option(
      '--taps <list>',
      'hidden states the adapter layers read, e.g. 0,2,3 (needed for backbones that are not 24 layers deep)',
      taps,
    )
    .option(
      '--adapter-config <json>',
      'adapter config fields as JSON, e.g. \'{"adapterSize":32,"heads":4,"intermediateSize":64}\' for a tiny backbone',
      jsonObject,
    )
    .requiredOption('--out <run-dir>', 'run directory (must be absent or empty, unless --resume)')
    .option('--epochs <n>', 'passes over the data (default 3, or what --max-steps needs)', nonNegativeInteger)
    .option('--max-steps <n>', 'stop after this many updates', positiveInteger)
    .option('--batch-size <n>', 'examples per batch (default 16)', positiveInteger)
    .option('--grad-accum <n>', 'batches per update (default 1)', positiveInteger)
    .option('--lr <rate>', 'peak learning rate (default 5e-5)', number)
    .addOption(
      new Option('--warmup-steps <n>', 'warm-up updates (default 0)')
        .argParser(nonNegativeInteger)
        .conflicts('warmupFraction'),
    )
    .option('--warmup-fraction <f>', 'warm-up as a fraction of --total-steps', fraction)
    .option(
      '--total-steps <n>',
      'length of the warm-up/linear schedule in updates (default: from the epochs)',
      positiveInteger,
    )
    .option('--dropout <p>', "dropout of the adapter and the head (default: the module's, 0.1)", fraction)
    .option(
      '--seed <n>',
      'every random choice (init, shuffling, dropout) comes from it (default 42)',
      nonNegativeInteger,
    )
    .option('--no-shuffle', 'keep the data order (the official loop shuffles)')
    .option('--eval-every <n>', 'evaluate every n updates (and at the end)', positiveInteger)
    .option('--checkpoint-every <n>', 'write a checkpoint every n updates', positiveInteger)
    .option('--resume', 'continue the run in --out from its last checkpoint (same settings)')
    .option(
      '--cache-budget-mb <n>',
      "host memory for the frozen backbone's outputs (default 2048; 0 = recompute every epoch)",
      nonNegativeInteger,
    )
    .addOption(jsonOption())
    .addHelpText(
      'after',
      '\nExit codes: 0 done (or stopped by Ctrl-C after a checkpoint), 1 usage error, 2 bad input, configuration or data',
    )
    .action(async (opts: PretrainCliOptions, cmd: Command) => {
      const quiet = globalOptions(cmd).quiet;
      await prepareOutput(opts.out, { directory: true });
      const loaded = await loadKnowledgeModule(opts.knowledge, { cwd: process.cwd() });
      await initBackendFor(cmd);
      let stopping = false;
      const onSigint = () => {
        if (stopping) process.exit(130);
        stopping = true;
        process.stderr.write('kadapter: stopping after this update (checkpoint first); Ctrl-C again to quit now\n');
      };
      process.on('SIGINT', onSigint);
      try {
        const r = await pretrain({
          module: loaded.module,
          moduleSource: opts.knowledge,
          backbone: opts.backbone,
          ...(opts.backboneName ? { backboneName: opts.backboneName } : {}),
          ...(opts.data ? { data: opts.data.map((f) => resolve(f)) } : {}),
          ...(opts.evalData ? { evalData: opts.evalData.map((f) => resolve(f)) } : {}),
          ...(opts.heldOut === undefined ? {} : { heldOut: opts.heldOut }),
          ...(opts.maxLen === undefined ? {} : { maxLength: opts.maxLen }),
          ...(opts.init ? { init: resolve(opts.init) } : {}),
          ...(opts.name ? { name: opts.name } : {}),
          ...(opts.taps || opts.adapterConfig
            ? { adapter: { ...opts.adapterConfig, ...(opts.taps ? { taps: opts.taps } : {}) } }
            : {}),
          ...(opts.dropout === undefined ? {} : { dropout: opts.dropout }),
          out: resolve(opts.out),
          resume: opts.resume === true,
          settings: {
            epochs: opts.epochs,
            maxSteps: opts.maxSteps,
            totalSteps: opts.totalSteps,
            batchSize: opts.batchSize,
            gradAccum: opts.gradAccum,
            lr: opts.lr,
            warmupSteps: opts.warmupSteps,
            warmupFraction: opts.warmupFraction,
            seed: opts.seed,
            shuffle: opts.shuffle,
            evalEvery: opts.evalEvery,
            checkpointEvery: opts.checkpointEvery,
          },
          ...(opts.cacheBudgetMb === undefined ? {} : { cacheBudgetBytes: opts.cacheBudgetMb * 2 ** 20 }),
          progress: { silent: quiet },
          log: (line) => {
            if (!quiet) process.stderr.write(`kadapter: ${line}\n`);
          },
          shouldStop: () => stopping,
        });
        printResult(
          {
            run: opts.out,
            adapter: r.interrupted ? undefined : r.adapter,
            interrupted: r.interrupted || undefined,
            steps: r.steps,
            examples: r.examples,
            skipped: r.skipped,
            metrics: r.metrics,
            best: r.best,
            seconds: Number(r.seconds.toFixed(1)),
          },
          opts,
        );
      } finally {
        process.off('SIGINT', onSigint);
      }
    });
}
