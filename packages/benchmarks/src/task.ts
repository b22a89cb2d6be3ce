import type { InputFormat } from '@kadapter/data-encode';
import type { InputRecord } from '@kadapter/core';
import type { PRF } from './metrics/prf.js';
import type { Example } from './read/examples.js';

/** How to read a dataset file of a task. */
export interface ReadOptions {
  /** json (one array), jsonl or csv; default: from the file extension (`formatOf`) */
  format?: InputFormat;
  /** a label list replacing the task's (FIGER: its labels.json, or `figerLabelsFromTrain`) */
  labels?: readonly string[];
  /** span QA: the OpenQA paragraphs file (`{split}.json`) that goes with the questions file */
  paragraphs?: string;
}

/** How to score a predictions file. */
export interface ScoreOptions {
  /** the label list the logits follow, replacing the task's (FIGER: the run's labels.json) */
  labels?: readonly string[];
  /** FIGER's `official_script_cumulative` variant: the script's evaluation batch size (default 4) */
  evalBatchSize?: number;
  /** span QA rows given as logits: the longest span decoded, in tokens (default 15, OpenQA's) */
  maxSpanTokens?: number;
}

/**
 * What `kadapter score` prints: the example count and the task's metrics (fractions in [0, 1]).
 * `accuracy`: strict accuracy for entity typing, plain accuracy for multiple choice; `micro` /
 * `macro` where the task has them; `exact_match` / `f1` for span QA. A task's own score type may add named variants.
 */
export interface Score {
  examples: number;
  accuracy?: number;
  micro?: PRF;
  macro?: PRF;
  exact_match?: number;
  f1?: number;
}

/**
 * One benchmark task, data side: its reader (official format, validated), the gold value an
 * example contributes to a predictions file, the parser of one predictions row, and its metrics.
 * `E` is the example, `G` its gold value in a predictions row, `R` a parsed predictions row.
 * The model side (encoder, head, loss) extends this interface in its own files.
 */
export interface BenchmarkTask<E extends object = object, G = unknown, R = unknown, S extends Score = Score> {
  readonly name: string;
  readonly description: string;
  /**
   * Label names in the order of the logits (entity types, relations); undefined where a run
   * supplies them (FIGER's labels.json) or the task has none (multiple choice, span QA).
   */
  readonly labels?: readonly string[];
  /** Streams the examples of a dataset file; a bad record is a DataError naming file, line and field. */
  read(file: string, options?: ReadOptions): AsyncGenerator<Example<E>>;
  /** The `gold` of this example's predictions row; undefined for an unlabelled example (test data). */
  gold(example: E, options?: ReadOptions): G | undefined;
  /** Checks one predictions row; a bad row is a DataError naming the file, line and field. */
  parsePrediction(record: InputRecord, options?: ScoreOptions): R;
  /** The task's metrics over parsed rows (at least one). */
  metrics(rows: readonly R[], options?: ScoreOptions): S;
  /** Reads a predictions file (JSON lines) and returns its metrics. */
  score(file: string, options?: ScoreOptions): Promise<S>;
}
