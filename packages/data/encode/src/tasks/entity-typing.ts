import { intField, labelIndex, objectOf, stringArrayField, stringField } from '../fields.js';
import { pyStrSlice } from '../py-slice.js';
import { idsAndMask } from '../sequence.js';
import type { EncodeContext, EncoderOptions, ExampleFeatures, InputRecord, Skipped, TaskEncoder } from '@kadapter/core';

/** An OpenEntity / FIGER example: a sentence, the mention's [start, end) code-point span, its types. */
export interface EntityExample {
  sent: string;
  start: number;
  end: number;
  labels: string[];
}

/** Checks one OpenEntity / FIGER record's fields and types (labels are checked against a list later). */
export function parseEntity(record: Parameters<typeof objectOf>[0]): EntityExample {
  const obj = objectOf(record);
  return {
    sent: stringField(record, obj, 'sent'),
    start: intField(record, obj, 'start'),
    end: intField(record, obj, 'end'),
    labels: stringArrayField(record, obj, 'labels'),
  };
}

/** Left context, mention, right context (Python slices of `sent`) and the marker text `'@'`. */
function entitySegments(ex: EntityExample): string[] {
  return [
    pyStrSlice(ex.sent, null, ex.start),
    pyStrSlice(ex.sent, ex.start, ex.end),
    pyStrSlice(ex.sent, ex.end, null),
    '@',
  ];
}

/**
 * `<s> left M mention M right </s>` where M = tokenize('@') (`Ġ@` in RoBERTa, with the space
 * prefix, unlike the raw `@` of T-REx/TACRED); the representation is read at the first marker,
 * index 1 + len(left). No truncation.
 */
function markEntity(tokens: string[][], ctx: EncodeContext): { tokens: string[]; marker: number } {
  const [left, mention, right, marker] = tokens as [string[], string[], string[], string[]];
  const { bos, eos } = ctx.tokenizer.special;
  return {
    tokens: [bos.token, ...left, ...marker, ...mention, ...marker, ...right, eos.token],
    marker: 1 + left.length,
  };
}

function entityShapes(ctx: EncodeContext, labelCount: number): Record<string, number[]> {
  return { input_ids: [ctx.maxLen], attention_mask: [ctx.maxLen], marker: [], labels: [labelCount] };
}

function entityFeatures(
  ctx: EncodeContext,
  tokens: readonly string[],
  marker: number,
  labelIds: readonly number[],
  labelCount: number,
): ExampleFeatures {
  const { ids, mask } = idsAndMask(ctx.tokenizer, tokens, ctx.maxLen, ctx.tokenizer.special.pad.id);
  const labels = new Int32Array(labelCount);
  for (const id of labelIds) labels[id] = 1;
  return { input_ids: ids, attention_mask: mask, marker: [marker], labels };
}

/** The entity-typing recipe of one task: its label list, an optional preparation, its length rule. */
export interface EntityTask {
  name: string;
  description: string;
  labels(ctx: EncodeContext): readonly string[];
  prepare?(records: () => AsyncIterable<InputRecord>, ctx: EncodeContext): Promise<EncoderOptions>;
  /** what happens to an input of `length` tokens: nothing, a named skip, or a thrown DataError */
  checkLength(length: number, ctx: EncodeContext, record: InputRecord): Skipped | undefined;
}

/** An OpenEntity / FIGER style encoder: `Ġ@` markers around the mention, multi-hot labels. */
export function entityEncoder(task: EntityTask): TaskEncoder<EntityExample> {
  return {
    name: task.name,
    description: task.description,
    featureShapes: (ctx) => entityShapes(ctx, task.labels(ctx).length),
    labelNames: task.labels,
    ...(task.prepare ? { prepare: task.prepare } : {}),
    parse: parseEntity,
    segments: entitySegments,
    build(ex, tokens, ctx, record) {
      const marked = markEntity(tokens, ctx);
      const skipped = task.checkLength(marked.tokens.length, ctx, record);
      if (skipped) return skipped;
      const labels = task.labels(ctx);
      const ids = ex.labels.map((l) => labelIndex(record, labels, l, 'labels'));
      return { features: entityFeatures(ctx, marked.tokens, marked.marker, ids, labels.length) };
    },
  };
}
