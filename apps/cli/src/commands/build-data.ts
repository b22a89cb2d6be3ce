import { buildFindHead } from '@kadapter/data-dependency';
import { runTrexWorker, submitTrexBuild } from '@kadapter/data-queue';
import { type Alignment, type BuildTrexResult, buildTrexDataset } from '@kadapter/data-trex';
import { type Command, Option } from 'commander';
import { globalOptions } from '../globals.js';
import { prepareOutput } from '../out-path.js';
import { jsonOption, printResult } from '../output.js';
import { fraction, nonNegativeInteger, positiveInteger } from './options.js';

/** Options of `kadapter build-data trex`, as commander parses them. */
export interface BuildDataTrexCliOptions {
  input: string[];
  out: string;
  minCount: number;
  seed: string;
  devFraction: number;
  relations: 'official' | 'derived';
  strict?: boolean;
  workers?: number;
  workDir?: string;
  shardSize: number;
  alignment: Alignment;
  shuffle: boolean;
  /** the global --quiet */
  quiet?: boolean;
  json?: boolean;
  /** `redis://...`: build as BullMQ jobs (@kadapter/data-queue) instead of in this process */
  queue?: string;
  /** with `queue`: run a queue worker instead of submitting a build (input/out are then unused) */
  worker?: boolean;
  concurrency?: number;
  lockDuration?: number;
  stalledInterval?: number;
  testDelayMs?: number;
}

/** Options of `kadapter build-data find-head`. */
export interface BuildDataFindHeadCliOptions {
  input: string[];
  out: string;
  strict?: boolean;
  json?: boolean;
}

/** The build options both modes share. */
function trexBuildOptions(opts: BuildDataTrexCliOptions) {
  return {
    inputs: opts.input,
    outDir: opts.out,
    minCount: opts.minCount,
    seed: opts.seed,
    devFraction: opts.devFraction,
    labels: opts.relations,
    strict: opts.strict === true,
    shardSize: opts.shardSize,
    alignment: opts.alignment,
    shuffle: opts.shuffle,
    ...(opts.workDir === undefined ? {} : { workDir: opts.workDir }),
  };
}

/** The in-process T-REx build behind `kadapter build-data trex` (worker threads on this machine). */
export async function buildTrexInProcess(opts: BuildDataTrexCliOptions): Promise<BuildTrexResult> {
  return buildTrexDataset({
    ...trexBuildOptions(opts),
    ...(opts.workers === undefined ? {} : { workers: opts.workers }),
    progress: { silent: opts.quiet === true },
  });
}

/** `--queue URL`: the same build as BullMQ jobs, run by queue workers; prints per-job progress. */
export async function buildTrexOnQueue(opts: BuildDataTrexCliOptions & { queue: string }): Promise<BuildTrexResult> {
  return submitTrexBuild({ ...trexBuildOptions(opts), redis: opts.queue, progress: { silent: opts.quiet === true } });
}

/** `--queue URL --worker`: a queue worker until SIGINT/SIGTERM. */
async function runQueueWorker(opts: BuildDataTrexCliOptions & { queue: string }): Promise<void> {
  await runTrexWorker({
    redis: opts.queue,
    concurrency: opts.concurrency,
    lockDurationMs: opts.lockDuration,
    stalledIntervalMs: opts.stalledInterval,
    testDelayMs: opts.testDelayMs,
    ...(opts.quiet ? { log: null } : {}),
  });
}

function printTrexSummary({ manifest, outDir, stats }: BuildTrexResult, opts: { json?: boolean }): void {
  const c = manifest.counts;
  printResult(
    {
      out: outDir,
      documents: c.documents,
      triples: c.triples,
      cleaned: c.cleaned,
      kept: c.kept,
      train: c.train,
      dev: c.dev,
      labels: manifest.labels.length,
      triplesDropped: c.triplesDropped,
      examplesDropped: c.examplesDropped,
      issues: c.issues,
      seconds: Number(stats.seconds.toFixed(2)),
      documentsPerSecond: Number(stats.documentsPerSecond.toFixed(1)),
    },
    opts,
  );
  if (c.kept === 0)
    process.stderr.write(
      `kadapter: warning: no examples kept (${c.examplesDropped.relation_below_min_count} below --min-count ${manifest.options.minCount}); small inputs need a lower --min-count\n`,
    );
  const issues = Object.values(c.issues).reduce((a, b) => a + b, 0);
  if (issues > 0)
    process.stderr.write(`kadapter: warning: ${issues} bad records skipped, see issues in ${outDir}/manifest.json\n`);
}

/** `kadapter build-data trex | find-head`: build pre-training datasets from raw sources. */
export function registerBuildData(program: Command): void {
  const buildData = program.command('build-data').description('build pre-training datasets from raw sources');
  buildData
    .command('trex')
    .description('raw T-REx JSON files -> trex-rc JSONL shards (train/dev) + relations.json + manifest.json')
    .option(
      '--input <paths...>',
      '(required unless --worker) raw T-REx files (each one JSON array of documents) or directories of them',
    )
    .option('--out <dir>', '(required unless --worker) output directory')
    .option('--min-count <n>', 'keep relations with at least N cleaned examples', nonNegativeInteger, 50)
    .addOption(new Option('--seed <s>', 'shuffle seed (the official notebook had none)').default('42', '42'))
    .option('--dev-fraction <f>', 'share of examples in dev', fraction, 0.1)
    .addOption(
      new Option('--relations <source>', 'label space: derived from the data, or the official 410 relations')
        .choices(['official', 'derived'])
        .default('derived'),
    )
    .option('--strict', 'fail on the first bad record or relation outside the label list instead of skipping it')
    .option('--workers <n>', 'worker threads (default: CPU cores; 0 = main thread)', nonNegativeInteger)
    .option('--work-dir <dir>', 'keep per-file outputs here (keyed by input sha256) and reuse them on later builds')
    .option('--shard-size <n>', 'examples per output shard', nonNegativeInteger, 50_000)
    .addOption(
      new Option('--alignment <mode>', 'entity-to-word matching: the official count rule or exact matching')
        .choices(['official', 'exact'])
        .default('official'),
    )
    .option('--no-shuffle', "keep the notebook's relation-grouped order (no shuffle)")
    .option(
      '--queue <url>',
      'build as BullMQ jobs on this Redis (redis://host:port[/db]); workers must see the same paths',
    )
    .option('--worker', 'with --queue: run a queue worker until SIGINT/SIGTERM (--input/--out are not used)')
    .option('--concurrency <n>', 'with --worker: jobs at once (default 1)', positiveInteger)
    .option(
      '--lock-duration <ms>',
      'with --worker: a job whose worker is silent this long is stalled (default 30000)',
      positiveInteger,
    )
    .option(
      '--stalled-interval <ms>',
      'with --worker: how often to look for stalled jobs (default 30000)',
      positiveInteger,
    )
    .addOption(
      new Option('--test-delay-ms <ms>', 'TEST ONLY: hold each job this long').argParser(nonNegativeInteger).hideHelp(),
    )
    .addOption(jsonOption())
    .action(async (cliOpts: BuildDataTrexCliOptions, cmd: Command) => {
      const opts = { ...cliOpts, quiet: globalOptions(cmd).quiet };
      const queue = opts.queue;
      if (opts.worker) {
        if (queue === undefined) cmd.error('error: --worker needs --queue redis://host:port');
        else await runQueueWorker({ ...opts, queue });
        return;
      }
      if (opts.input === undefined) cmd.error("error: required option '--input <paths...>' not specified");
      if (opts.out === undefined) cmd.error("error: required option '--out <dir>' not specified");
      if (queue !== undefined && opts.workers !== undefined)
        cmd.error('error: --workers sets in-process threads; with --queue, start workers with --queue URL --worker');
      await prepareOutput(opts.out, { directory: true });
      printTrexSummary(
        queue === undefined ? await buildTrexInProcess(opts) : await buildTrexOnQueue({ ...opts, queue }),
        opts,
      );
    });
  buildData
    .command('find-head')
    .description('CoNLL-U (or find_head JSON) -> one find_head JSON file + <name>.manifest.json')
    .requiredOption('--input <paths...>', 'CoNLL-U files (.conllu) and/or find_head JSON files, or directories')
    .requiredOption('--out <file>', 'find_head JSON file to write (e.g. data/find_head/train.json)')
    .option('--strict', 'fail on the first bad sentence instead of skipping it')
    .addOption(jsonOption())
    .action(async (opts: BuildDataFindHeadCliOptions, cmd: Command) => {
      await prepareOutput(opts.out);
      const manifest = await buildFindHead({
        inputs: opts.input,
        out: opts.out,
        strict: opts.strict === true,
        progress: { silent: globalOptions(cmd).quiet },
      });
      printResult({ out: opts.out, ...manifest.counts }, opts);
    });
}
