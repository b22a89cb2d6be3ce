import { ConfigError } from '@kadapter/core';
import type { EncodeContext, EncodeOutcome, InputRecord, TaskEncoder } from '@kadapter/core';

export interface EncodeRunOptions {
  /** examples whose segments are tokenised in one call (default 1024) */
  batchSize?: number;
  /**
   * called after each batch with the number of records handled so far, and (from `encodeFile`)
   * the number of records when it is known beforehand
   */
  onProgress?: (done: number, total?: number) => void;
}

/** Smallest L every built-in encoder handles (`<s>`, `</s>` and one more token). */
export const MIN_MAX_LEN = 3;

export function checkMaxLen(maxLen: number): void {
  if (!Number.isSafeInteger(maxLen) || maxLen < MIN_MAX_LEN) {
    throw new ConfigError(`max length must be an integer >= ${MIN_MAX_LEN}, got ${maxLen}`, { field: 'maxLen' });
  }
}

type Pending<E> = { record: InputRecord; example: E } | { record: InputRecord; skip: string };

/**
 * Runs a task encoder over records in file order and yields one outcome per record: its features
 * or a named skip. The text segments of `batchSize` examples are tokenised in one call.
 */
export async function* encodeRecords<E>(
  encoder: TaskEncoder<E>,
  records: AsyncIterable<InputRecord> | Iterable<InputRecord>,
  ctx: EncodeContext,
  run: EncodeRunOptions = {},
): AsyncGenerator<EncodeOutcome> {
  checkMaxLen(ctx.maxLen);
  const batchSize = run.batchSize ?? 1024;
  const select = encoder.select?.(ctx);
  let pending: Pending<E>[] = [];
  let done = 0;

  const flush = async function* (): AsyncGenerator<EncodeOutcome> {
    const segments = pending.map((p) => ('example' in p ? encoder.segments(p.example, ctx) : []));
    const tokens = await ctx.tokenizer.tokenizeSegments(segments.flat());
    let at = 0;
    for (const [i, p] of pending.entries()) {
      const own = tokens.slice(at, at + segments[i]!.length);
      at += segments[i]!.length;
      const index = p.record.index;
      yield 'example' in p ? { index, ...encoder.build(p.example, own, ctx, p.record) } : { index, skip: p.skip };
    }
    done += pending.length;
    pending = [];
    run.onProgress?.(done);
  };

  for await (const record of records) {
    const example = encoder.parse(record, ctx);
    const skip = select?.(example);
    pending.push(skip === undefined ? { record, example } : { record, skip });
    if (pending.length >= batchSize) yield* flush();
  }
  if (pending.length > 0) yield* flush();
}
