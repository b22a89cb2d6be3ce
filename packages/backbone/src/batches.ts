import { InputError, ShapeError } from '@kadapter/core';
import type { Backbone, BackboneOutput, SequenceData } from '@kadapter/nn';
import type { Progress } from '@kadapter/progress';
import * as tf from '@tensorflow/tfjs';
import { type EncodedData, paddedLength } from './input.js';

export interface ForwardInBatchesOptions {
  /** hidden-state indices to keep (the last layer is always returned) */
  taps?: readonly number[];
  /** sequences per forward (default 8) */
  batchSize?: number;
  /** which rows, in this order (default: all) */
  rows?: readonly number[];
  /** ticked by the number of sequences after each batch */
  progress?: Progress;
}

/** One batch of a `forwardInBatches` run: its rows and the backbone output (the caller disposes it). */
export interface SequenceBatch {
  /** the dataset rows of this batch, in output order */
  rows: number[];
  output: BackboneOutput;
}

/**
 * Runs a backbone over many sequences, `batchSize` at a time, yielding each batch's output: the
 * one batched-forward loop every caller uses (feature extraction, the feature cache, training on
 * a frozen backbone). The consumer disposes each output before asking for the next.
 */
export function* forwardInBatches(
  backbone: Backbone,
  data: SequenceData,
  options: ForwardInBatchesOptions = {},
): Generator<SequenceBatch> {
  const [n, length] = data.inputIds.shape as [number, number];
  if (data.inputIds.shape.length !== 2 || data.attentionMask.shape.join() !== data.inputIds.shape.join()) {
    throw new ShapeError(
      `input_ids [${data.inputIds.shape}] and attention_mask [${data.attentionMask.shape}] must both be [N, L]`,
      { field: 'attention_mask' },
    );
  }
  const all = options.rows ?? Array.from({ length: n }, (_, i) => i);
  const batchSize = options.batchSize ?? 8;
  for (let start = 0; start < all.length; start += batchSize) {
    const rows = all.slice(start, start + batchSize);
    const ids = new Int32Array(rows.length * length);
    const mask = new Int32Array(rows.length * length);
    rows.forEach((r, i) => {
      for (let j = 0; j < length; j++) {
        ids[i * length + j] = data.inputIds.data[r * length + j] as number;
        mask[i * length + j] = data.attentionMask.data[r * length + j] as number;
      }
    });
    const inputIds = tf.tensor2d(ids, [rows.length, length], 'int32');
    const attentionMask = tf.tensor2d(mask, [rows.length, length], 'int32');
    let output: BackboneOutput;
    try {
      output = backbone.encode({ inputIds, attentionMask }, options.taps ? { taps: options.taps } : {});
    } finally {
      tf.dispose([inputIds, attentionMask]);
    }
    yield { rows, output };
    options.progress?.tick(rows.length);
  }
}

/**
 * Rectangular rows (what `kadapter features` reads) as sequence data; a ragged row or a value that
 * is not a number is an InputError naming `file`, the field and the [row, column].
 */
export function sequenceData(data: EncodedData, file?: string): SequenceData {
  const length = paddedLength(data, file);
  const n = data.inputIds.length;
  const flat = (rows: readonly (readonly number[])[], field: string) => {
    const out = new Float64Array(n * length);
    rows.forEach((row, r) => {
      row.forEach((v, c) => {
        if (typeof v !== 'number') throw new InputError(`${field}[${r}, ${c}] is not a number`, { file, field });
        out[r * length + c] = v;
      });
    });
    return { shape: [n, length], data: out };
  };
  return { inputIds: flat(data.inputIds, 'input_ids'), attentionMask: flat(data.attentionMask, 'attention_mask') };
}
