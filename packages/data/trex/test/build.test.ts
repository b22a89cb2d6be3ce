import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DataError } from '@kadapter/core';
import { useTempDir } from '@kadapter/test-utils';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildTrexDataset, readTrexRcSplit, type TrexExample } from '../src/index.js';
import { CLEAN_FIXTURE, readJson, readJsonl, SAMPLE } from './helpers.js';

const tempDir = useTempDir('kadapter-trex-test-');
const quiet = { silent: true };

async function readSplit(dir: string, split: 'train' | 'dev'): Promise<TrexExample[]> {
  const out: TrexExample[] = [];
  for await (const e of readTrexRcSplit(dir, split)) out.push(e);
  return out;
}

async function filesOf(dir: string): Promise<Record<string, string>> {
  const names = (await readdir(dir)).filter((n) => !n.startsWith('.')).sort();
  return Object.fromEntries(await Promise.all(names.map(async (n) => [n, await readFile(join(dir, n), 'utf8')])));
}

/** The notebook's flattening: group by relation in first-appearance order, stable within a group. */
function groupOrder(examples: TrexExample[]): TrexExample[] {
  const groups = new Map<string, TrexExample[]>();
  for (const e of examples) groups.set(e.relation, [...(groups.get(e.relation) ?? []), e]);
  return [...groups.values()].flat();
}

const key = (e: TrexExample) => JSON.stringify(e);

describe('buildTrexDataset', () => {
  let cleaned: TrexExample[];
  let counts: {
    input: { sha256: string };
    subdataset: { min1: { notebook_relations_json: Record<string, number> } };
  };
  let docs: unknown[];
  beforeAll(async () => {
    cleaned = await readJson<TrexExample[]>(CLEAN_FIXTURE('cleaned.json'));
    counts = await readJson(CLEAN_FIXTURE('counts.json'));
    docs = await readJson<unknown[]>(SAMPLE);
  });

  it('without shuffle and dev split gives the notebook sub-dataset (min 1) exactly', async () => {
    const outDir = await tempDir();
    const { manifest } = await buildTrexDataset({
      inputs: [SAMPLE],
      outDir,
      minCount: 1,
      shuffle: false,
      devFraction: 0,
      progress: quiet,
    });
    const expected = await readJson<TrexExample[]>(CLEAN_FIXTURE('subdataset-min1.json'));
    expect(await readSplit(outDir, 'train')).toEqual(expected);
    expect(await readSplit(outDir, 'dev')).toEqual([]);
    expect(await readJson(join(outDir, 'relations.json'))).toEqual(counts.subdataset.min1.notebook_relations_json);
    expect(manifest.inputs).toEqual([
      expect.objectContaining({ path: SAMPLE, sha256: counts.input.sha256, documents: 2, triples: 112, examples: 99 }),
    ]);
    expect(manifest.counts).toMatchObject({ triples: 112, cleaned: 99, kept: 99, train: 99, dev: 0 });
    expect(manifest.counts.triplesDropped.subject_boundaries_null).toBe(13);
    expect(await readJson(join(outDir, 'manifest.json'))).toEqual(manifest);
    expect((await readdir(outDir)).sort()).toEqual(['manifest.json', 'relations.json', 'train-00000-of-00001.jsonl']);
  });

  it('the seeded split is a 89/10 partition of the cleaned examples, identical with 0 or 2 workers', async () => {
    const a = await tempDir();
    const b = await tempDir();
    const options = { inputs: [SAMPLE], minCount: 1, seed: 7, progress: quiet };
    const inThread = await buildTrexDataset({ ...options, outDir: a, workers: 0 });
    const threaded = await buildTrexDataset({ ...options, outDir: b, workers: 2 });
    expect(threaded.stats.workers).toBe(1); // one file: one worker
    expect(await filesOf(a)).toEqual(await filesOf(b));
    expect(inThread.manifest.counts).toMatchObject({ kept: 99, train: 89, dev: 10 });
    const train = await readSplit(a, 'train');
    const dev = await readSplit(a, 'dev');
    expect([...train, ...dev].map(key).sort()).toEqual(cleaned.map(key).sort());
    expect(train.map(key)).not.toEqual(groupOrder(cleaned).slice(0, 89).map(key));
    const other = await tempDir();
    await buildTrexDataset({ ...options, seed: 8, outDir: other });
    expect((await readSplit(other, 'train')).map(key)).not.toEqual(train.map(key));
  });

  it('several files: sorted path order fixes example and label order; shards of the given size; parallel = serial', async () => {
    const dir = await tempDir();
    // b.json holds Q228, a.json holds Q7026: a.json comes first
    await writeFile(join(dir, 'b.json'), JSON.stringify([docs[0]]));
    await writeFile(join(dir, 'a.json'), JSON.stringify([docs[1]]));
    const expected = groupOrder([
      ...cleaned.filter((e) => e.docid === 'Q7026'),
      ...cleaned.filter((e) => e.docid === 'Q228'),
    ]);
    const serial = await tempDir();
    const parallel = await tempDir();
    const options = { inputs: [dir], minCount: 1, shuffle: false, devFraction: 0, shardSize: 10, progress: quiet };
    const { manifest } = await buildTrexDataset({ ...options, outDir: serial, workers: 0 });
    const threaded = await buildTrexDataset({ ...options, outDir: parallel, workers: 2 });
    expect(threaded.stats.workers).toBe(2);
    expect(await filesOf(serial)).toEqual(await filesOf(parallel));
    expect(manifest.inputs.map((i) => i.path)).toEqual([join(dir, 'a.json'), join(dir, 'b.json')]);
    expect(manifest.labels).toEqual([...new Set(expected.map((e) => e.relation))]);
    expect(manifest.splits.train.shards.map((s) => s.examples)).toEqual([10, 10, 10, 10, 10, 10, 10, 10, 10, 9]);
    expect(manifest.splits.train.shards[9]?.file).toBe('train-00009-of-00010.jsonl');
    expect(await readSplit(serial, 'train')).toEqual(expected);
    const { createHash } = await import('node:crypto');
    for (const s of manifest.splits.train.shards) {
      const bytes = await readFile(join(serial, s.file));
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(s.sha256);
      expect(bytes.length).toBe(s.bytes);
    }
  });

  it('min 50 (default) keeps nothing on the sample and says why', async () => {
    const outDir = await tempDir();
    const { manifest } = await buildTrexDataset({ inputs: [SAMPLE], outDir, progress: quiet });
    expect(manifest.counts).toMatchObject({ cleaned: 99, kept: 0, train: 0, dev: 0 });
    expect(manifest.counts.examplesDropped.relation_below_min_count).toBe(99);
    expect(manifest.labels).toEqual([]);
    expect(manifest.splits.train.shards).toEqual([]);
  });

  it('official labels: P729 is a reported skip, or a DataError under strict that writes nothing', async () => {
    const outDir = await tempDir();
    const { manifest } = await buildTrexDataset({
      inputs: [SAMPLE],
      outDir,
      minCount: 1,
      labels: 'official',
      progress: quiet,
    });
    expect(manifest.counts.examplesDropped.relation_not_in_label_list).toBe(3);
    expect(manifest.counts.kept).toBe(96);
    expect(manifest.labels).toHaveLength(410);
    expect(manifest.relations.find((r) => r.relation === 'P729')).toEqual({
      relation: 'P729',
      count: 3,
      dropReason: 'relation_not_in_label_list',
    });
    const strictDir = await tempDir();
    const err = await buildTrexDataset({
      inputs: [SAMPLE],
      outDir: strictDir,
      minCount: 1,
      labels: 'official',
      strict: true,
      progress: quiet,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataError);
    expect((err as DataError).message).toContain('relation P729');
    expect((err as DataError).location).toMatchObject({ file: SAMPLE, field: 'predicate.uri' });
    expect(await readdir(strictDir)).toEqual([]);
  });

  it('a rebuild replaces stale shards; a kept workDir is reused', async () => {
    const outDir = await tempDir();
    const workDir = join(await tempDir(), 'work');
    const options = { inputs: [SAMPLE], outDir, workDir, minCount: 1, progress: quiet };
    const small = await buildTrexDataset({ ...options, shardSize: 20 });
    expect(small.manifest.splits.train.shards).toHaveLength(5);
    const big = await buildTrexDataset({ ...options, shardSize: 1000 });
    expect((await readdir(outDir)).filter((n) => n.endsWith('.jsonl')).sort()).toEqual([
      'dev-00000-of-00001.jsonl',
      'train-00000-of-00001.jsonl',
    ]);
    expect(big.manifest.counts).toEqual(small.manifest.counts);
    expect(await readdir(workDir)).toEqual([counts.input.sha256]);
    expect(await readJsonl(join(workDir, counts.input.sha256, 'examples.jsonl'))).toEqual(cleaned);
  });
});
