import { ConfigError, type TextTokenizer } from '@kadapter/core';
import { checkMaxLen, type EncodeRunOptions, encodeRecords } from './encode.js';
import { collectFeatures, type FeatureSet } from './features.js';
import { type DatasetSplitName, isDirectory, openDatasetSplit, readDatasetRecords } from './read/dataset.js';
import { type InputFormat, readRecords } from './read/records.js';
import { getEncoder } from './registry.js';
import type { EncodeContext, EncoderOptions, InputRecord, TaskEncoder } from '@kadapter/core';

export interface EncodeFileOptions {
  /** a registered task name (`trex`, `find_head`, `openentity`, `figer`, `tacred`, `cosmosqa`, ...) or an encoder */
  task: string | TaskEncoder;
  /**
   * input file in the task's official format, or a trex-rc dataset directory (`build-data trex`
   * output, or a released directory with `train.json` / `dev.json`) together with `split`
   */
  input: string;
  /** with a dataset directory: the split to encode (all its shards) */
  split?: DatasetSplitName;
  /** default: from the file extension (.jsonl, .csv, else a JSON array) */
  format?: InputFormat;
  tokenizer: TextTokenizer;
  /** L, the padded sequence length */
  maxLen: number;
  /** `labels` defaults to the dataset's relations when `input` is a dataset built here */
  options?: EncoderOptions;
  /** `onProgress` also gets the number of records when it is known (a dataset's manifest) */
  run?: EncodeRunOptions;
}

/** The features of one input file (or dataset split) and what produced them. */
export interface EncodedFile extends FeatureSet {
  task: string;
  maxLen: number;
  input: string;
  /** the split, when `input` is a dataset directory */
  split?: DatasetSplitName;
  /** the label list the label ids index, when the task has one */
  labels?: readonly string[];
  /** the options used (after the encoder's `prepare`) */
  options: EncoderOptions;
}

/** Where the records come from: a file, or a dataset split (with its count and labels). */
interface Source {
  records: () => AsyncIterable<InputRecord>;
  total?: number;
  labels?: readonly string[];
}

async function openSource(o: EncodeFileOptions, encoder: TaskEncoder): Promise<Source> {
  if (!(await isDirectory(o.input))) {
    if (o.split !== undefined)
      throw new ConfigError(`split applies to a dataset directory; ${o.input} is a file`, { field: 'split' });
    return { records: () => readRecords(o.input, o.format) };
  }
  if (o.split === undefined)
    throw new ConfigError('is a dataset directory: choose the split to encode (train or dev)', {
      file: o.input,
      field: 'split',
    });
  if (o.format !== undefined)
    throw new ConfigError('format applies to a file; a dataset directory lists its own files', { field: 'format' });
  const dataset = await openDatasetSplit(o.input, o.split);
  if (encoder.name !== dataset.task)
    throw new ConfigError(`holds ${dataset.task} examples; encode it with task ${dataset.task}, not ${encoder.name}`, {
      file: o.input,
      field: 'task',
    });
  return {
    records: () => readDatasetRecords(dataset),
    ...(dataset.examples === undefined ? {} : { total: dataset.examples }),
    ...(dataset.labels === undefined ? {} : { labels: dataset.labels }),
  };
}

/** Reads an input file (or every file of a dataset split) in its official format and encodes every example. */
export async function encodeFile(o: EncodeFileOptions): Promise<EncodedFile> {
  const encoder = typeof o.task === 'string' ? getEncoder(o.task) : o.task;
  checkMaxLen(o.maxLen);
  const source = await openSource(o, encoder);
  const given = o.options ?? {};
  const options = given.labels === undefined && source.labels ? { ...given, labels: source.labels } : given;
  let ctx: EncodeContext = { tokenizer: o.tokenizer, maxLen: o.maxLen, options };
  if (encoder.prepare) ctx = { ...ctx, options: await encoder.prepare(source.records, ctx) };
  const onProgress = o.run?.onProgress;
  const run: EncodeRunOptions = {
    ...o.run,
    ...(onProgress ? { onProgress: (done: number) => onProgress(done, source.total) } : {}),
  };
  const set = await collectFeatures(encodeRecords(encoder, source.records(), ctx, run), encoder.featureShapes(ctx));
  const labels = encoder.labelNames?.(ctx);
  return {
    ...set,
    task: encoder.name,
    maxLen: o.maxLen,
    input: o.input,
    ...(o.split === undefined ? {} : { split: o.split }),
    options: ctx.options,
    ...(labels ? { labels } : {}),
  };
}
