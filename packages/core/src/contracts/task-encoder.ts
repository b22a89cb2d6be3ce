import type { TextTokenizer } from './tokenizer.js';

/** Where a record sits in its input file (for error messages). */
export interface RecordLocation {
  file: string;
  /** 1-based line (JSON lines, CSV) */
  line?: number;
  /** byte offset of the record's first byte (JSON arrays) */
  offset?: number;
}

/** One example as read from a file in an official format, before any task-specific checks. */
export interface InputRecord {
  value: unknown;
  /** 0-based position among the file's records */
  index: number;
  where: RecordLocation;
}

/** Int32 feature values of one kept example, by tensor name, flattened (row-major). */
export type ExampleFeatures = Record<string, ArrayLike<number>>;

/** A kept example: its features, plus optional named notes (e.g. a marker that was clamped). */
export interface Kept {
  features: ExampleFeatures;
  notes?: readonly string[];
}

/** A dropped example: the named reason, as the official code would have dropped it. */
export interface Skipped {
  skip: string;
}

export type EncodeOutcome = (Kept | Skipped) & { index: number };

/**
 * Options of an encoder run. The built-in encoders read the keys below; third-party encoders may
 * read their own.
 */
export interface EncoderOptions {
  /** label list (index = label id); default: the task's official list (FIGER: derived from the input) */
  labels?: readonly string[];
  /**
   * TACRED / T-REx training data: `--negative_sample N` of the official scripts, which keeps only the
   * first N-1 `no_relation` examples (file order). Leave unset for dev/test data (everything kept).
   */
  negativeSample?: number;
  /** find_head label mode: `faithful` (default, the official word-aligned labels) or `aligned` */
  findHeadLabels?: 'faithful' | 'aligned';
  [key: string]: unknown;
}

export interface EncodeContext {
  tokenizer: TextTokenizer;
  /** L, the padded sequence length (`max_seq_length`) */
  maxLen: number;
  options: EncoderOptions;
}

/**
 * One task's conversion of official-format examples to features, split in steps so that the
 * driver (`encodeRecords`) can tokenise the text segments of many examples in one batch:
 * `parse` → `select` → `segments` → (legacy tokenisation) → `build`.
 */
export interface TaskEncoder<E = unknown> {
  readonly name: string;
  readonly description: string;
  /** per-example shape of every feature tensor (`[]` for one value per example) */
  featureShapes(ctx: EncodeContext): Record<string, number[]>;
  /** the label names written to the output metadata, if the task has a label list */
  labelNames?(ctx: EncodeContext): readonly string[] | undefined;
  /**
   * Called once before encoding with a way to read the input again; returns the options to use
   * (e.g. FIGER derives its label list from the data when none is given).
   */
  prepare?(records: () => AsyncIterable<InputRecord>, ctx: EncodeContext): Promise<EncoderOptions>;
  /** checks one record of the official format; throws a DataError naming the file, position and field */
  parse(record: InputRecord, ctx: EncodeContext): E;
  /** optional stateful filter over the examples in file order (one per run); returns a skip reason */
  select?(ctx: EncodeContext): (example: E) => string | undefined;
  /** the texts to tokenise with the legacy per-segment tokenizer */
  segments(example: E, ctx: EncodeContext): string[];
  /** features from the tokenised segments (same order as `segments`), or a named skip */
  build(example: E, tokens: string[][], ctx: EncodeContext, record: InputRecord): Kept | Skipped;
}
