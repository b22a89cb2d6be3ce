import { intField, objectOf, stringArrayField, stringField } from '../fields.js';
import { pyStrSlice } from '../py-slice.js';
import { idsAndMask } from '../sequence.js';
import type { EncodeContext, ExampleFeatures } from '../types.js';

/** An OpenEntity / FIGER example: a sentence, the mention's [start, end) code-point span, its types. */
export interface EntityExample {
  sent: string;
  start: number;
  end: number;
  labels: string[];
}

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
export function entitySegments(ex: EntityExample): string[] {
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
export function markEntity(tokens: string[][], ctx: EncodeContext): { tokens: string[]; marker: number } {
  const [left, mention, right, marker] = tokens as [string[], string[], string[], string[]];
  const { bos, eos } = ctx.tokenizer.special;
  return {
    tokens: [bos.token, ...left, ...marker, ...mention, ...marker, ...right, eos.token],
    marker: 1 + left.length,
  };
}

export function entityShapes(ctx: EncodeContext, labelCount: number): Record<string, number[]> {
  return { input_ids: [ctx.maxLen], attention_mask: [ctx.maxLen], marker: [], labels: [labelCount] };
}

export function entityFeatures(
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
