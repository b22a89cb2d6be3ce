import { arrayField, recordError, stringArrayField } from '@kadapter/data-encode';
import type { InputRecord } from '@kadapter/core';

/**
 * Fields of one predictions row (`{"logits": number[], "gold": …}`). Each check throws a DataError
 * naming the file, line, row and field (`logits`, `gold[3]`, …).
 */

function describe(value: unknown): string {
  return value === undefined ? 'missing' : JSON.stringify(value);
}

/** `key` as an array of `count` numbers (one per label or choice). */
export function numbersField(
  record: InputRecord,
  obj: Record<string, unknown>,
  key: string,
  count: number,
  why: string,
): number[] {
  const values = arrayField(record, obj, key);
  if (values.length !== count)
    throw recordError(record, `has ${values.length} values, expected ${count} (${why})`, key);
  values.forEach((v, i) => {
    if (typeof v !== 'number' || !Number.isFinite(v))
      throw recordError(record, `expected a finite number, got ${describe(v)}`, `${key}[${i}]`);
  });
  return values as number[];
}

/** `gold` as a multi-hot array of `count` 0/1 values. */
export function multiHotGold(record: InputRecord, obj: Record<string, unknown>, count: number): number[] {
  const values = numbersField(record, obj, 'gold', count, 'one per label');
  values.forEach((v, i) => {
    if (v !== 0 && v !== 1) throw recordError(record, `expected 0 or 1, got ${v}`, `gold[${i}]`);
  });
  return values;
}

/** `gold` as a label name of `labels` or an index into it; returns the index. */
export function labelGold(record: InputRecord, obj: Record<string, unknown>, labels: readonly string[]): number {
  const v = obj.gold;
  if (typeof v === 'string') {
    const i = labels.indexOf(v);
    if (i < 0)
      throw recordError(record, `label ${JSON.stringify(v)} is not one of the task's ${labels.length} labels`, 'gold');
    return i;
  }
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v < labels.length) return v;
  throw recordError(record, `expected a label name or an index 0..${labels.length - 1}, got ${describe(v)}`, 'gold');
}

/** `gold` as a choice index 0..count-1. */
export function choiceGold(record: InputRecord, obj: Record<string, unknown>, count: number): number {
  const v = obj.gold;
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v < count) return v;
  throw recordError(record, `expected a choice index 0..${count - 1}, got ${describe(v)}`, 'gold');
}

/** `key` as a non-empty array of strings (gold answers). */
export function answersField(record: InputRecord, obj: Record<string, unknown>, key: string): string[] {
  const answers = stringArrayField(record, obj, key);
  if (answers.length === 0) throw recordError(record, 'expected at least one answer', key);
  return answers;
}
