import { ConfigError } from '@kadapter/core';
import { isJsonObject } from '@kadapter/files';
import { arrayField, objectOf, stringField } from '../fields.js';
import { pyStrSlice } from '../py-slice.js';
import { idsAndMask } from '../sequence.js';
import type { EncodeContext, Kept, Skipped, TaskEncoder } from '@kadapter/core';

/** Label of positions that carry no head in `aligned` mode (PyTorch's CrossEntropy ignore_index). */
export const IGNORE_INDEX = -100;

/**
 * A find_head example after the steps the official code runs before tokenising: the word texts
 * and each word's head (1-based word index, 0 = ROOT), or the reason it already failed.
 */
export interface FindHeadExample {
  words: string[];
  /** head of word i as it appears in `pairs` (Python would compare it by value) */
  heads: unknown[];
  early?: string;
}

/** A span bound Python can slice with: an int or None. */
function isSliceBound(v: unknown): v is number | null {
  return v === null || (typeof v === 'number' && Number.isSafeInteger(v));
}

/**
 * The body of convert_examples_to_features_find_head up to tokenisation. Each failure that its
 * bare `except: continue` swallows becomes a named reason, checked in the official order:
 * `bad_pair` (a pair without dependent_index / governor_index), `word_without_head` (no pair has
 * word i+1 as dependent), `bad_word_span` (tokens[i] has no key str(i+1) or start/end are not ints).
 */
function prepare(sent: string, tokens: unknown[], pairs: unknown[]): FindHeadExample {
  const headOf = new Map<unknown, unknown>();
  for (const pair of pairs) {
    if (!isJsonObject(pair) || !('dependent_index' in pair) || !('governor_index' in pair)) {
      return { words: [], heads: [], early: 'bad_pair' };
    }
    headOf.set(pair.dependent_index, pair.governor_index);
  }
  const heads: unknown[] = [];
  for (let i = 0; i < tokens.length; i++) {
    if (!headOf.has(i + 1)) return { words: [], heads: [], early: 'word_without_head' };
    heads.push(headOf.get(i + 1));
  }
  const words: string[] = [];
  for (const [i, entry] of tokens.entries()) {
    const span = isJsonObject(entry) ? entry[String(i + 1)] : undefined;
    if (!isJsonObject(span) || !isSliceBound(span.start) || !isSliceBound(span.end)) {
      return { words: [], heads: [], early: 'bad_word_span' };
    }
    words.push(pyStrSlice(sent, span.start, span.end));
  }
  return { words, heads };
}

/** First sub-token position of every word (0-based, `<s>` = 0), and the token count with `<s>`/`</s>`. */
function wordStarts(tokens: string[][]): { starts: number[]; length: number } {
  const starts: number[] = [];
  let length = 1;
  for (const pieces of tokens) {
    starts.push(length);
    length += pieces.length;
  }
  return { starts, length: length + 1 };
}

function headIndex(head: unknown, n: number): number | undefined {
  return typeof head === 'number' && Number.isInteger(head) && head >= 0 && head <= n ? head : undefined;
}

/**
 * Official labels: label j+1 belongs to WORD j (not sub-token j+1) and is 1 + the 0-based position
 * of its head's first sub-token (ROOT → 1, i.e. `<s>`); 0 on `<s>`, after the last word and on
 * padding. A head equal to the last word is dropped (`head_is_last_word`: the official map has
 * keys 0..n-1 only), as is any other head outside 0..n-1 (`head_out_of_range`), an input of
 * L tokens or more (`too_long`), and n+2 > L words, which the official code would keep as a
 * label row longer than L that no tensor can hold (`labels_exceed_max_len`).
 */
function faithful(ex: FindHeadExample, tokens: string[][], ctx: EncodeContext): Kept | Skipped {
  const n = ex.words.length;
  const { starts, length } = wordStarts(tokens);
  const labels = new Int32Array(ctx.maxLen);
  for (const [i, h] of ex.heads.entries()) {
    const head = headIndex(h, n);
    if (head === undefined) return { skip: 'head_out_of_range' };
    if (head === n) return { skip: 'head_is_last_word' };
    // sub_word_indexes[head]: 1 for ROOT, else (first sub-token of word `head`) + 1
    labels[i + 1] = head === 0 ? 1 : starts[head - 1]! + 1;
  }
  if (length >= ctx.maxLen) return { skip: 'too_long' };
  if (n + 2 > ctx.maxLen) return { skip: 'labels_exceed_max_len' };
  return { features: { ...sequence(tokens, ctx), labels } };
}

/**
 * Aligned labels: the first sub-token of word i is labelled with the 0-based position of its
 * head's first sub-token (ROOT → 0, `<s>`); every other position is IGNORE_INDEX. A head may be
 * the last word. Dropped: `head_out_of_range` (head outside 0..n), `head_word_has_no_tokens`
 * (the head's text tokenises to nothing), `too_long` (more than L tokens).
 */
function aligned(ex: FindHeadExample, tokens: string[][], ctx: EncodeContext): Kept | Skipped {
  const n = ex.words.length;
  const { starts, length } = wordStarts(tokens);
  const labels = new Int32Array(ctx.maxLen).fill(IGNORE_INDEX);
  for (const [i, h] of ex.heads.entries()) {
    const head = headIndex(h, n);
    if (head === undefined) return { skip: 'head_out_of_range' };
    if (head > 0 && tokens[head - 1]!.length === 0) return { skip: 'head_word_has_no_tokens' };
    if (tokens[i]!.length > 0) labels[starts[i]!] = head === 0 ? 0 : starts[head - 1]!;
  }
  if (length > ctx.maxLen) return { skip: 'too_long' };
  return { features: { ...sequence(tokens, ctx), labels } };
}

function sequence(tokens: string[][], ctx: EncodeContext): { input_ids: Int32Array; attention_mask: Int32Array } {
  const { bos, eos, pad } = ctx.tokenizer.special;
  const { ids, mask } = idsAndMask(ctx.tokenizer, [bos.token, ...tokens.flat(), eos.token], ctx.maxLen, pad.id);
  return { input_ids: ids, attention_mask: mask };
}

/**
 * Dependency head prediction, the lin-adapter's pre-training task (utils_glue.py
 * `convert_examples_to_features_find_head`): every word `sent[start:end]` is tokenised on its own.
 * Label modes: `faithful` (default) and `aligned`, see above. Missing `sent` / `tokens` / `pairs`
 * are DataErrors (the official processor raises before its try block).
 */
export const findHeadEncoder: TaskEncoder<FindHeadExample> = {
  name: 'find_head',
  description: 'dependency head prediction (lin-adapter pre-training)',
  featureShapes: (ctx) => ({ input_ids: [ctx.maxLen], attention_mask: [ctx.maxLen], labels: [ctx.maxLen] }),
  parse(record) {
    const obj = objectOf(record);
    return prepare(
      stringField(record, obj, 'sent'),
      arrayField(record, obj, 'tokens'),
      arrayField(record, obj, 'pairs'),
    );
  },
  segments: (ex) => ex.words,
  build(ex, tokens, ctx) {
    if (ex.early) return { skip: ex.early };
    const mode = ctx.options.findHeadLabels ?? 'faithful';
    if (mode === 'faithful') return faithful(ex, tokens, ctx);
    if (mode === 'aligned') return aligned(ex, tokens, ctx);
    throw new ConfigError(`find_head label mode must be faithful or aligned, got ${JSON.stringify(mode)}`, {
      field: 'findHeadLabels',
    });
  },
};
