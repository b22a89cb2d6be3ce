import type { Command } from 'commander';
import { runDemo } from '../demo/pipeline.js';
import { globalOptions } from '../globals.js';
import { prepareOutput } from '../out-path.js';
import { integer } from './options.js';

/** `kadapter demo`: the end-to-end pipeline on the data shipped in @kadapter/demo-data. */
export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description(
      'end-to-end demo on the embedded data: build T-REx and dependency data, encode, pre-train a factual and a ' +
        'linguistic adapter, fine-tune fusion + head on CosmosQA, save and reload everything',
    )
    .option('--out <dir>', 'output directory (replaced on every run)', 'kadapter-demo')
    .option('--epochs <n>', 'training epochs of each stage', integer, 10)
    .option('--seed <n>', 'seed of initialisation, split and shuffling', integer, 42)
    .option('--max-len <n>', 'sequence length of T-REx and CosmosQA (at most 128 for the tiny model)', integer, 128)
    .option('--find-head-max-len <n>', 'sequence length (and head positions) of the dependency task', integer, 64)
    .action(
      async (opts: { out: string; epochs: number; seed: number; maxLen: number; findHeadMaxLen: number }, cmd) => {
        // the run directory replaces an earlier demo run (and refuses anything else) itself
        await prepareOutput(opts.out, { directory: true });
        await runDemo({
          ...opts,
          quiet: globalOptions(cmd).quiet,
          write: (line) => process.stdout.write(`${line}\n`),
        });
      },
    );
}
