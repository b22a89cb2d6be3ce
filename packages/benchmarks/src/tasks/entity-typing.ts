import { type EntityExample, labelIndex, objectOf, parseEntity, recordError } from '@kadapter/data-encode';
import type { InputRecord } from '@kadapter/core';
import { goldTypes, predictedTypes, type TypeRule } from '../metrics/entity-typing.js';
import { multiHotGold, numbersField } from '../read/prediction-fields.js';

/** An OpenEntity / FIGER example with its types as ids in the task's label list. */
export interface EntityTypingExample extends EntityExample {
  types: number[];
}

/** A predictions row of entity typing: one logit per type, and the gold types as 0/1. */
export interface EntityTypingRow {
  logits: number[];
  gold: number[];
}

/**
 * One record of the official OpenEntity / FIGER format (`sent`, `start`, `end`, `labels`; see
 * `parseEntity`), further checked: the mention [start, end) is a non-empty span of `sent` in code
 * points (Python string indices), and every label is in `labels` (the official code raises on an
 * unknown one).
 */
export function checkEntityRecord(record: InputRecord, labels: readonly string[]): EntityTypingExample {
  const example = parseEntity(record);
  const length = [...example.sent].length;
  if (example.start < 0 || example.start >= length)
    throw recordError(record, `mention start ${example.start} is outside the sentence (0..${length - 1})`, 'start');
  if (example.end <= example.start || example.end > length)
    throw recordError(record, `mention end ${example.end} must be in ${example.start + 1}..${length}`, 'end');
  return { ...example, types: example.labels.map((label) => labelIndex(record, labels, label, 'labels')) };
}

/** The multi-hot gold row of an example (`types.length` ≤ `count`). */
export function multiHot(types: readonly number[], count: number): number[] {
  const row = new Array<number>(count).fill(0);
  for (const t of types) row[t] = 1;
  return row;
}

export function parseEntityTypingRow(record: InputRecord, count: number): EntityTypingRow {
  const obj = objectOf(record);
  return {
    logits: numbersField(record, obj, 'logits', count, 'one per label'),
    gold: multiHotGold(record, obj, count),
  };
}

/** Predicted and gold type-id sets of the rows, predictions under `rule`. */
export function typeSets(
  rows: readonly EntityTypingRow[],
  rule: TypeRule,
): { predicted: number[][]; gold: number[][] } {
  return { predicted: rows.map((r) => predictedTypes(r.logits, rule)), gold: rows.map((r) => goldTypes(r.gold)) };
}
