import { BENCHMARK_TASKS, getTask, type ScoreOptions } from '@kadapter/benchmarks';
import { readLabelList } from '@kadapter/data-encode';
import type { Command } from 'commander';
import { jsonOption, printResult } from '../output.js';
import { positiveInteger } from './options.js';

interface ScoreCliOptions {
  task: string;
  predictions: string;
  labels?: string;
  evalBatchSize?: number;
  maxSpanTokens?: number;
  json?: boolean;
}

/**
 * `kadapter score`: a predictions file (JSON lines, `{"logits": [...], "gold": ...}` per example;
 * format in the @kadapter/benchmarks README) → the task's metrics as one JSON object on stdout.
 */
export function registerScore(program: Command): void {
  program
    .command('score')
    .description('score a predictions file (JSON lines) with the official metrics of a benchmark task')
    .requiredOption('--task <name>', `benchmark task (${[...BENCHMARK_TASKS.keys()].join(', ')})`)
    .requiredOption('--predictions <file>', 'predictions, one JSON object per line: {"logits": [...], "gold": ...}')
    .option('--labels <file>', "the run's label list, a JSON array of strings (FIGER labels.json; default 113 types)")
    .option(
      '--eval-batch-size <n>',
      "FIGER: the script's evaluation batch size for its cumulative variant (default 4)",
      positiveInteger,
    )
    .option(
      '--max-span-tokens <n>',
      'span QA rows given as logits: the longest answer span (default 15)',
      positiveInteger,
    )
    .addOption(jsonOption())
    .action(async (opts: ScoreCliOptions) => {
      const task = getTask(opts.task);
      const options: ScoreOptions = {
        ...(opts.labels === undefined ? {} : { labels: await readLabelList(opts.labels) }),
        ...(opts.evalBatchSize === undefined ? {} : { evalBatchSize: opts.evalBatchSize }),
        ...(opts.maxSpanTokens === undefined ? {} : { maxSpanTokens: opts.maxSpanTokens }),
      };
      printResult({ ...(await task.score(opts.predictions, options)) }, opts);
    });
}
