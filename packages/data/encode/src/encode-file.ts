import type { TextTokenizer } from '@kadapter/core';
import { checkMaxLen, type EncodeRunOptions, encodeRecords } from './encode.js';
import { collectFeatures, type FeatureSet } from './features.js';
import { type InputFormat, readRecords } from './read/records.js';
import { getEncoder } from './registry.js';
import type { EncodeContext, EncoderOptions, TaskEncoder } from '@kadapter/core';

export interface EncodeFileOptions {
  /** a registered task name (`trex`, `find_head`, `openentity`, `figer`, `tacred`, `cosmosqa`, ...) or an encoder */
  task: string | TaskEncoder;
  /** input file in the task's official format */
  input: string;
  /** default: from the file extension (.jsonl, .csv, else a JSON array) */
  format?: InputFormat;
  tokenizer: TextTokenizer;
  /** L, the padded sequence length */
  maxLen: number;
  options?: EncoderOptions;
  run?: EncodeRunOptions;
}

/** The features of one input file and what produced them. */
export interface EncodedFile extends FeatureSet {
  task: string;
  maxLen: number;
  input: string;
  /** the label list the label ids index, when the task has one */
  labels?: readonly string[];
  /** the options used (after the encoder's `prepare`) */
  options: EncoderOptions;
}

/** Reads an input file in its official format and encodes every example. */
export async function encodeFile(o: EncodeFileOptions): Promise<EncodedFile> {
  const encoder = typeof o.task === 'string' ? getEncoder(o.task) : o.task;
  checkMaxLen(o.maxLen);
  const records = () => readRecords(o.input, o.format);
  let ctx: EncodeContext = { tokenizer: o.tokenizer, maxLen: o.maxLen, options: o.options ?? {} };
  if (encoder.prepare) ctx = { ...ctx, options: await encoder.prepare(records, ctx) };
  const set = await collectFeatures(encodeRecords(encoder, records(), ctx, o.run), encoder.featureShapes(ctx));
  const labels = encoder.labelNames?.(ctx);
  return {
    ...set,
    task: encoder.name,
    maxLen: o.maxLen,
    input: o.input,
    options: ctx.options,
    ...(labels ? { labels } : {}),
  };
}
