import { ConfigError } from '@kadapter/core';
import { createProgress } from '@kadapter/progress';
import {
  encodeFile,
  encoderNames,
  INPUT_FORMATS,
  type InputFormat,
  readLabelList,
  writeFeatures,
} from '@kadapter/data-encode';
import type { EncoderOptions } from '@kadapter/core';
import { loadTokenizer } from '@kadapter/tokenizer';
import { type Command, Option } from 'commander';
import { integer } from './options.js';

interface EncodeCliOptions {
  task: string;
  tokenizer: string;
  maxLen: number;
  input: string;
  out: string;
  format?: InputFormat;
  labels?: string;
  negativeSample?: number;
  findHeadLabels?: 'faithful' | 'aligned';
  quiet?: boolean;
}

/**
 * `kadapter encode`: examples in an official K-Adapter format → int32 features in safetensors
 * (input_ids, attention_mask, the task's markers / labels, example_index), with the skip counts
 * printed (JSON on stdout, one line per reason on stderr) and stored in the file's metadata.
 */
export function registerEncode(program: Command): void {
  program
    .command('encode')
    .description('encode examples in an official K-Adapter format into int32 features (safetensors)')
    .requiredOption('--task <name>', `task encoder (${encoderNames().join(', ')})`)
    .requiredOption(
      '--tokenizer <path>',
      'tokenizer directory (tokenizer.json, or vocab.json + merges.txt) or tokenizer.json',
    )
    .requiredOption('--max-len <n>', 'padded sequence length L (max_seq_length)', integer)
    .requiredOption('--input <file>', 'examples in the official format (JSON array, .jsonl, or .csv)')
    .requiredOption('--out <file>', 'features file to write (.safetensors)')
    .addOption(
      new Option('--format <format>', 'input format (default: from the file extension)').choices(INPUT_FORMATS),
    )
    .option('--labels <file>', 'label list, a JSON array of strings (FIGER labels.json; replaces the official list)')
    .option(
      '--negative-sample <n>',
      'training data only: keep the first N-1 no_relation examples (trex, tacred)',
      integer,
    )
    .addOption(
      new Option('--find-head-labels <mode>', 'find_head labels: official word-aligned, or first-sub-token aligned')
        .choices(['faithful', 'aligned'])
        .default('faithful'),
    )
    .option('--quiet', 'no progress output')
    .action(async (opts: EncodeCliOptions) => {
      if (opts.negativeSample !== undefined && !['trex', 'tacred'].includes(opts.task)) {
        throw new ConfigError('--negative-sample applies to trex and tacred only', { field: '--negative-sample' });
      }
      const tokenizer = await loadTokenizer(opts.tokenizer);
      const options: EncoderOptions = {
        ...(opts.labels === undefined ? {} : { labels: await readLabelList(opts.labels) }),
        ...(opts.negativeSample === undefined ? {} : { negativeSample: opts.negativeSample }),
        ...(opts.task === 'find_head' ? { findHeadLabels: opts.findHeadLabels } : {}),
      };
      const progress = createProgress({ label: `encode ${opts.task}`, unit: 'examples', silent: opts.quiet === true });
      let last = 0;
      const encoded = await encodeFile({
        task: opts.task,
        input: opts.input,
        ...(opts.format === undefined ? {} : { format: opts.format }),
        tokenizer,
        maxLen: opts.maxLen,
        options,
        run: {
          onProgress: (done) => {
            progress.tick(done - last);
            last = done;
          },
        },
      });
      progress.stop();
      await writeFeatures(opts.out, encoded, { source: tokenizer.source, fingerprint: tokenizer.fingerprint });
      for (const [reason, n] of Object.entries(encoded.skipped)) process.stderr.write(`skipped ${reason}: ${n}\n`);
      for (const [note, n] of Object.entries(encoded.notes)) process.stderr.write(`note ${note}: ${n}\n`);
      process.stdout.write(
        `${JSON.stringify({
          task: encoded.task,
          out: opts.out,
          maxLen: encoded.maxLen,
          read: encoded.read,
          kept: encoded.exampleIndex.length,
          skipped: encoded.skipped,
          notes: encoded.notes,
          tensors: Object.fromEntries([...encoded.tensors].map(([name, t]) => [name, t.shape])),
        })}\n`,
      );
    });
}
