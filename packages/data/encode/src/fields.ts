import { DataError } from '@kadapter/core';
import { isJsonObject } from '@kadapter/files';
import type { InputRecord } from '@kadapter/core';

/** A DataError about one record: names the file, its line or byte offset, the example and the field. */
export function recordError(record: InputRecord, message: string, field?: string): DataError {
  return new DataError(`example ${record.index}: ${message}`, {
    ...record.where,
    ...(field === undefined ? {} : { field }),
  });
}

function describe(value: unknown): string {
  return value === undefined ? 'missing' : JSON.stringify(value);
}

/** The record as an object (the official readers index it by key). */
export function objectOf(record: InputRecord): Record<string, unknown> {
  const v = record.value;
  if (!isJsonObject(v)) throw recordError(record, `expected a JSON object, got ${describe(v)}`);
  return v;
}

export function stringField(record: InputRecord, obj: Record<string, unknown>, key: string): string {
  const v = obj[key];
  if (typeof v !== 'string') throw recordError(record, `expected a string, got ${describe(v)}`, key);
  return v;
}

/** An integer field (Python would reject anything else where it is used as an index). */
export function intField(record: InputRecord, obj: Record<string, unknown>, key: string): number {
  const v = obj[key];
  if (typeof v !== 'number' || !Number.isSafeInteger(v)) {
    throw recordError(record, `expected an integer, got ${describe(v)}`, key);
  }
  return v;
}

export function arrayField(record: InputRecord, obj: Record<string, unknown>, key: string): unknown[] {
  const v = obj[key];
  if (!Array.isArray(v)) throw recordError(record, `expected an array, got ${describe(v)}`, key);
  return v;
}

export function stringArrayField(record: InputRecord, obj: Record<string, unknown>, key: string): string[] {
  const v = arrayField(record, obj, key);
  v.forEach((item, i) => {
    if (typeof item !== 'string') throw recordError(record, `expected strings, item ${i} is ${describe(item)}`, key);
  });
  return v as string[];
}

/** The index of `label` in `labels`; an unknown label is a DataError (the official code raises). */
export function labelIndex(record: InputRecord, labels: readonly string[], label: string, field: string): number {
  const i = labels.indexOf(label);
  if (i < 0) throw recordError(record, `label ${JSON.stringify(label)} is not in the label list`, field);
  return i;
}
