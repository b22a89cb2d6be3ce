import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { DataError, NotFoundError } from '@kadapter/core';
import { readJsonArray, readLines } from '@kadapter/files';
import { MANIFEST_FILE, readTrexManifest } from './manifest.js';
import type { RecordProblem } from './trex-document.js';
import type { TrexExample } from './trex-example.js';

export interface ReadTrexRcOptions {
  /** called with each invalid example, which is then skipped; without it the first one throws */
  onInvalid?: (error: DataError) => void;
}

const INDEX_FIELDS = ['subj_start', 'subj_end', 'obj_start', 'obj_end'] as const;

/**
 * Checks a `trex-rc` record the way fac-adapter reads it (utils_glue.py:437-459): `token` a list of
 * strings, `relation` a string, inclusive indices inside `token` with start <= end. `docid`,
 * `subj_label` and `obj_label` are optional strings.
 */
export function checkTrexExample(value: unknown): TrexExample | RecordProblem {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return { field: '', message: 'expected an example object' };
  const v = value as Record<string, unknown>;
  if (!Array.isArray(v.token) || v.token.length === 0 || !v.token.every((t) => typeof t === 'string'))
    return { field: 'token', message: 'expected a non-empty list of strings' };
  if (typeof v.relation !== 'string') return { field: 'relation', message: 'expected a string' };
  for (const f of INDEX_FIELDS) {
    const i = v[f];
    if (!Number.isInteger(i) || (i as number) < 0 || (i as number) >= v.token.length)
      return { field: f, message: `expected a word index in 0..${v.token.length - 1}` };
  }
  if ((v.subj_start as number) > (v.subj_end as number)) return { field: 'subj_end', message: 'subj_end < subj_start' };
  if ((v.obj_start as number) > (v.obj_end as number)) return { field: 'obj_end', message: 'obj_end < obj_start' };
  for (const f of ['docid', 'subj_label', 'obj_label'] as const)
    if (v[f] !== undefined && typeof v[f] !== 'string') return { field: f, message: 'expected a string' };
  return v as unknown as TrexExample;
}

function invalid(problem: RecordProblem, where: { file: string; line?: number; offset?: number }): DataError {
  return new DataError(problem.message, { ...where, field: problem.field || undefined });
}

/**
 * Streams the examples of one `trex-rc` file: a released `train.json`/`dev.json` (one JSON array)
 * or a `.jsonl` shard written by this package. Errors name the file and the line (JSONL) or byte
 * offset (JSON) and the field.
 */
export async function* readTrexRc(file: string, options: ReadTrexRcOptions = {}): AsyncGenerator<TrexExample> {
  const check = (value: unknown, where: { file: string; line?: number; offset?: number }) => {
    const example = checkTrexExample(value);
    if (!('message' in example)) return example;
    const error = invalid(example, where);
    if (!options.onInvalid) throw error;
    options.onInvalid(error);
    return undefined;
  };
  if (file.endsWith('.jsonl')) {
    for await (const { line, number } of readLines(file)) {
      if (line.trim() === '') continue;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch (err) {
        const error = new DataError(`not valid JSON: ${(err as Error).message}`, { file, line: number, cause: err });
        if (!options.onInvalid) throw error;
        options.onInvalid(error);
        continue;
      }
      const example = check(value, { file, line: number });
      if (example) yield example;
    }
    return;
  }
  for await (const item of readJsonArray(file)) {
    const example = check(item.value, { file, offset: item.offset });
    if (example) yield example;
  }
}

/**
 * Streams one split of a dataset directory: the shards listed in `manifest.json` when there is one
 * (built here), else the released `<dir>/<split>.json`.
 */
export async function* readTrexRcSplit(
  dir: string,
  split: 'train' | 'dev',
  options: ReadTrexRcOptions = {},
): AsyncGenerator<TrexExample> {
  const hasManifest = await access(join(dir, MANIFEST_FILE)).then(
    () => true,
    () => false,
  );
  if (hasManifest) {
    const manifest = await readTrexManifest(dir);
    for (const shard of manifest.splits[split].shards) yield* readTrexRc(join(dir, shard.file), options);
    return;
  }
  const file = join(dir, `${split}.json`);
  const exists = await access(file).then(
    () => true,
    () => false,
  );
  if (!exists) throw new NotFoundError(`neither ${MANIFEST_FILE} nor ${split}.json`, { file: dir });
  yield* readTrexRc(file, options);
}
