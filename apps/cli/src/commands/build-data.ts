import { buildFindHead } from '@kadapter/data-dependency';
import { type Alignment, type BuildTrexResult, buildTrexDataset } from '@kadapter/data-trex';
import { type Command, InvalidArgumentError, Option } from 'commander';

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
  quiet?: boolean;
}

/** Options of `kadapter build-data find-head`. */
export interface BuildDataFindHeadCliOptions {
  input: string[];
  out: string;
  strict?: boolean;
  quiet?: boolean;
}

function nonNegativeInteger(value: string): number {
  if (!/^\d+$/.test(value.trim())) throw new InvalidArgumentError('expected a non-negative integer');
  return Number(value);
}

function fraction(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !(n >= 0 && n <= 1)) throw new InvalidArgumentError('expected a number in [0, 1]');
  return n;
}

/**
 * The in-process T-REx build behind `kadapter build-data trex` (worker threads on this machine).
 * A queue mode can sit beside it and call the same per-file / merge functions of @kadapter/data-trex.
 */
export async function buildTrexInProcess(opts: BuildDataTrexCliOptions): Promise<BuildTrexResult> {
  return buildTrexDataset({
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
    ...(opts.workers === undefined ? {} : { workers: opts.workers }),
    ...(opts.workDir === undefined ? {} : { workDir: opts.workDir }),
    progress: { silent: opts.quiet === true },
  });
}

function printTrexSummary({ manifest, outDir, stats }: BuildTrexResult): void {
  const c = manifest.counts;
  process.stdout.write(
    `${JSON.stringify({
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
    })}\n`,
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
    .requiredOption('--input <paths...>', 'raw T-REx files (each one JSON array of documents) or directories of them')
    .requiredOption('--out <dir>', 'output directory')
    .option('--min-count <n>', 'keep relations with at least N cleaned examples', nonNegativeInteger, 50)
    .option('--seed <s>', 'shuffle seed (the official notebook had none)', '42')
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
    .option('--quiet', 'no progress output')
    .action(async (opts: BuildDataTrexCliOptions) => {
      printTrexSummary(await buildTrexInProcess(opts));
    });
  buildData
    .command('find-head')
    .description('CoNLL-U (or find_head JSON) -> one find_head JSON file + <name>.manifest.json')
    .requiredOption('--input <paths...>', 'CoNLL-U files (.conllu) and/or find_head JSON files, or directories')
    .requiredOption('--out <file>', 'find_head JSON file to write (e.g. data/find_head/train.json)')
    .option('--strict', 'fail on the first bad sentence instead of skipping it')
    .option('--quiet', 'no progress output')
    .action(async (opts: BuildDataFindHeadCliOptions) => {
      const manifest = await buildFindHead({
        inputs: opts.input,
        out: opts.out,
        strict: opts.strict === true,
        progress: { silent: opts.quiet === true },
      });
      process.stdout.write(`${JSON.stringify({ out: opts.out, ...manifest.counts })}\n`);
    });
}
