import type { TextTokenizer } from './tokenizer.js';

/** Where a pre-training task reads raw knowledge from: files, with builder options. */
export interface DataSource {
  files: readonly string[];
  options?: Readonly<Record<string, unknown>>;
}

/** Encoded tensors of one example, as plain arrays (batched later). */
export interface EncodedExample {
  inputIds: number[];
  attentionMask: number[];
  /** task selectors/labels, e.g. { subj_marker: 3, obj_marker: 9, labels: 17 } */
  fields: Record<string, number | number[]>;
}

/** An example an encoder refused, with a counted, named reason. */
export interface Skip {
  skip: true;
  reason: string;
  detail?: string;
}

export interface MetricSet {
  /** metric name -> function of predictions and gold labels */
  readonly names: readonly string[];
  compute(predictions: unknown, gold: unknown): Record<string, number>;
}

/** Pre-training of a knowledge adapter: data, encoding, head, metrics. */
export interface PretrainingTask<Ex = unknown, H = unknown> {
  /** stream the examples of a source (never the whole corpus in memory) */
  buildExamples(source: DataSource): AsyncIterable<Ex>;
  encode(example: Ex, tokenizer: TextTokenizer, maxLength: number): Promise<EncodedExample | Skip>;
  /** the pre-training head for a backbone of width `hiddenSize` */
  createHead(hiddenSize: number): H;
  readonly metrics: MetricSet;
}

/** Type guard for encoder results. */
export function isSkip(result: EncodedExample | Skip): result is Skip {
  return (result as Skip).skip === true;
}
