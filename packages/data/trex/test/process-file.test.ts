import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ChecksumError, DataError, FormatError } from '@kadapter/core';
import { useTempDir } from '@kadapter/test-utils';
import { beforeAll, describe, expect, it } from 'vitest';
import { processTrexFile, type TrexExample } from '../src/index.js';
import { CLEAN_FIXTURE, readJson, readJsonl, SAMPLE } from './helpers.js';

const tempDir = useTempDir('kadapter-trex-test-');

interface Counts {
  input: { sha256: string; documents: number };
  triples_seen: number;
  kept: number;
  dropped: Record<string, number>;
  per_relation_kept_in_pred2id_order: Record<string, number>;
}

describe('processTrexFile', () => {
  let counts: Counts;
  let expected: TrexExample[];
  let docs: unknown[];
  beforeAll(async () => {
    counts = await readJson<Counts>(CLEAN_FIXTURE('counts.json'));
    expected = await readJson<TrexExample[]>(CLEAN_FIXTURE('cleaned.json'));
    docs = await readJson<unknown[]>(SAMPLE);
  });

  it('writes the official cleaned examples and counts, keyed by the input sha256', async () => {
    const workDir = await tempDir();
    const { dir, result } = await processTrexFile(SAMPLE, { workDir });
    expect(dir).toBe(join(workDir, counts.input.sha256));
    expect(await readJsonl(join(dir, result.examplesFile))).toEqual(expected);
    expect(result.sha256).toBe(counts.input.sha256);
    expect(result.documents).toBe(counts.input.documents);
    expect(result.triples).toBe(counts.triples_seen);
    expect(result.examples).toBe(counts.kept);
    expect(result.triplesDropped.subject_boundaries_null).toBe(counts.dropped.subject_boundaries_null);
    expect(Object.values(result.triplesDropped).reduce((a, b) => a + b, 0)).toBe(counts.dropped.total);
    expect(Object.fromEntries(result.relations.map((r) => [r.relation, r.count]))).toEqual(
      counts.per_relation_kept_in_pred2id_order,
    );
    expect(result.relations.map((r) => r.relation)).toEqual(Object.keys(counts.per_relation_kept_in_pred2id_order));
    expect(result.issues.count).toBe(0);
    expect(JSON.parse(await readFile(join(dir, 'result.json'), 'utf8'))).toEqual(result);
    expect((await readdir(workDir)).filter((n) => n.startsWith('.tmp-'))).toEqual([]);
  });

  it('reuses a stored output for a known sha256 and checks the bytes otherwise', async () => {
    const workDir = await tempDir();
    const first = await processTrexFile(SAMPLE, { workDir });
    const progress: number[] = [];
    const again = await processTrexFile(SAMPLE, {
      workDir,
      expectedSha256: counts.input.sha256,
      onProgress: (p) => progress.push(p.documents),
    });
    expect(again).toEqual(first);
    expect(progress).toEqual([2]);
    await expect(processTrexFile(SAMPLE, { workDir: await tempDir(), expectedSha256: '0'.repeat(64) })).rejects.toThrow(
      ChecksumError,
    );
  });

  it('skips and reports a malformed document, or throws under strict with file, offset and field', async () => {
    const dir = await tempDir();
    const file = join(dir, 'bad-doc.json');
    const broken = structuredClone(docs) as Array<Record<string, unknown>>;
    (broken[0] as { words_boundaries: number[][] }).words_boundaries[3] = [10, 99999];
    const text = JSON.stringify(broken, null, 1);
    await writeFile(file, text);
    const { result } = await processTrexFile(file, { workDir: join(dir, 'w') });
    expect(result.documentsSkipped).toBe(1);
    expect(result.examples).toBe(16); // only Q7026 (counts.json per_document Q7026 kept 16)
    expect(result.issues.byReason.invalid_document).toBe(1);
    expect(result.issues.first[0]).toMatchObject({
      reason: 'invalid_document',
      file,
      offset: Buffer.byteLength(text.slice(0, text.indexOf('{'))),
      document: 0,
      field: 'words_boundaries[3]',
    });
    const strictDir = join(dir, 'strict');
    const err = await processTrexFile(file, { workDir: strictDir, strict: true }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataError);
    expect((err as DataError).location).toEqual({
      file,
      offset: Buffer.byteLength(text.slice(0, text.indexOf('{'))),
      field: 'words_boundaries[3]',
    });
    expect(await readdir(strictDir)).toEqual([]);
  });

  it('keeps what came before malformed JSON mid-file, or throws under strict leaving nothing behind', async () => {
    const dir = await tempDir();
    const file = join(dir, 'bad-json.json');
    const text = JSON.stringify(docs, null, 1);
    const cut = text.indexOf('"docid"', text.indexOf('"docid"') + 1); // inside the second document
    const corrupt = `${text.slice(0, cut)}@@${text.slice(cut)}`;
    const cutByte = Buffer.byteLength(text.slice(0, cut)); // the sample has non-ASCII text before it
    await writeFile(file, corrupt);
    const { result, dir: out } = await processTrexFile(file, { workDir: join(dir, 'w') });
    expect(result.documents).toBe(1);
    expect(result.examples).toBe(83); // Q228 kept 83 (counts.json per_document)
    expect(result.issues.first[0]).toMatchObject({ reason: 'malformed_json', file, offset: cutByte });
    expect((await readJsonl(join(out, result.examplesFile))).length).toBe(83);
    // the hash is of the whole file even though parsing stopped early
    const { createHash } = await import('node:crypto');
    expect(result.sha256).toBe(createHash('sha256').update(corrupt).digest('hex'));
    const strictDir = join(dir, 'strict');
    const err = await processTrexFile(file, { workDir: strictDir, strict: true }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FormatError);
    expect((err as FormatError).location).toMatchObject({ file, offset: cutByte });
    expect(await readdir(strictDir)).toEqual([]);
  });

  it('a strict run refuses a stored non-strict output that has issues', async () => {
    const dir = await tempDir();
    const file = join(dir, 'bad-triple.json');
    const broken = structuredClone(docs) as Array<{ triples: Array<Record<string, unknown>> }>;
    (broken[1]?.triples[2] as Record<string, unknown>).sentence_id = 500;
    await writeFile(file, JSON.stringify(broken));
    const workDir = join(dir, 'w');
    const { result } = await processTrexFile(file, { workDir });
    expect(result.triplesDropped.invalid_triple).toBe(1);
    expect(result.issues.first[0]).toMatchObject({
      reason: 'invalid_triple',
      document: 1,
      field: 'triples[2].sentence_id',
    });
    const err = await processTrexFile(file, { workDir, strict: true, expectedSha256: result.sha256 }).catch((e) => e);
    expect(err).toBeInstanceOf(DataError);
    expect((err as DataError).location.field).toBe('triples[2].sentence_id');
  });
});
