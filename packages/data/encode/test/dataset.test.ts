import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildTrexDataset, OFFICIAL_TREX_RELATIONS } from '@kadapter/data-trex';
import { expectError, sharedPath, tinyFixture, useTempDir } from '@kadapter/test-utils';
import { loadTokenizer, type RobertaTokenizer } from '@kadapter/tokenizer';
import { beforeAll, describe, expect, it } from 'vitest';
import { encodeFile, openDatasetSplit, readLabelList } from '../src/index.js';

const tempDir = useTempDir('kadapter-encode-dataset-');
let dir = '';
beforeAll(async () => {
  dir = await tempDir();
});

function file(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

const lines = (path: string) =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as { relation: string });

describe('readLabelList', () => {
  it('reads a JSON array, and the {label: id} object of relations.json ordered by id', async () => {
    expect(await readLabelList(file('array.json', '["b", "a"]'))).toEqual(['b', 'a']);
    expect(await readLabelList(file('relations.json', '{"P37": 1, "P47": 2, "P530": 0}'))).toEqual([
      'P530',
      'P37',
      'P47',
    ]);
  });

  it.each([
    ['{"P37": 0, "P47": 0}', 'field \'P47\': id 0 is given to both "P37" and "P47"'],
    ['{"P37": 0, "P47": 2}', "field 'P47': id 2 is not an integer in 0..1"],
    ['{"P37": "0"}', 'field \'P37\': id "0" is not an integer in 0..0'],
    ['{}', 'non-empty object'],
    ['["a", "a"]', 'appears twice'],
    ['"a"', 'or an object {label: id}'],
  ])('refuses %s with a FormatError naming the file and entry', async (json, message) => {
    const path = file('bad-labels.json', json);
    await expectError(readLabelList(path), 'E_FORMAT', 'bad-labels.json', message);
  });
});

describe('a dataset directory built by build-data trex', () => {
  let tok: RobertaTokenizer;
  const built = join(dir, 'trex-rc');
  beforeAll(async () => {
    tok = await loadTokenizer(tinyFixture());
    // the shared sample keeps 99 examples at min count 1 (89 train / 10 dev); shards of 40: 3 train shards
    await buildTrexDataset({
      inputs: [sharedPath('data', 'trex', 'sample-output.json')],
      outDir: built,
      minCount: 1,
      shardSize: 40,
      workers: 0,
      progress: { silent: true },
    });
  });

  it('encodes every shard of the split, labelled by the dataset relations', async () => {
    const manifest = JSON.parse(readFileSync(join(built, 'manifest.json'), 'utf8'));
    const shards: string[] = manifest.splits.train.shards.map((s: { file: string }) => join(built, s.file));
    expect(shards).toHaveLength(3);
    const relations = JSON.parse(readFileSync(join(built, 'relations.json'), 'utf8')) as Record<string, number>;
    const examples = shards.flatMap(lines);
    expect(examples).toHaveLength(89);

    const totals: Array<number | undefined> = [];
    const enc = await encodeFile({
      task: 'trex',
      input: built,
      split: 'train',
      tokenizer: tok,
      maxLen: 128,
      run: { batchSize: 16, onProgress: (_done, total) => totals.push(total) },
    });
    expect(enc.read).toBe(89);
    expect(enc.split).toBe('train');
    expect(totals.every((t) => t === 89)).toBe(true);
    expect(enc.labels).toEqual(Object.keys(relations).sort((a, b) => (relations[a] ?? 0) - (relations[b] ?? 0)));
    // each kept example's label is the id relations.json gives its relation; indices run across shards
    const labels = Array.from(enc.tensors.get('labels')!.data);
    const expected = Array.from(enc.exampleIndex, (i) => relations[examples[i]!.relation]);
    expect(labels).toEqual(expected);
    expect(Math.max(...enc.exampleIndex)).toBeGreaterThanOrEqual(40);
  });

  it('gives the same features as the shards concatenated into one file with the labels given', async () => {
    const manifest = JSON.parse(readFileSync(join(built, 'manifest.json'), 'utf8'));
    const joined = file(
      'dev-joined.jsonl',
      manifest.splits.dev.shards.map((s: { file: string }) => readFileSync(join(built, s.file), 'utf8')).join(''),
    );
    const labels = await readLabelList(join(built, 'relations.json'));
    const fromDir = await encodeFile({ task: 'trex', input: built, split: 'dev', tokenizer: tok, maxLen: 64 });
    const fromFile = await encodeFile({ task: 'trex', input: joined, tokenizer: tok, maxLen: 64, options: { labels } });
    expect(fromDir.read).toBe(10);
    expect(Array.from(fromDir.exampleIndex)).toEqual(Array.from(fromFile.exampleIndex));
    for (const [name, t] of fromFile.tensors)
      expect(Array.from(fromDir.tensors.get(name)!.data), name).toEqual(Array.from(t.data));
  });

  it('refuses a missing split, a split with a file, another task, and a directory that is no dataset', async () => {
    const base = { tokenizer: tok, maxLen: 64 };
    await expectError(encodeFile({ ...base, task: 'trex', input: built }), 'E_CONFIG', "field 'split'", 'train or dev');
    await expectError(
      encodeFile({ ...base, task: 'trex', input: tinyFixture('examples/trex.json'), split: 'dev' }),
      'E_CONFIG',
      'split applies to a dataset directory',
    );
    await expectError(
      encodeFile({ ...base, task: 'tacred', input: built, split: 'dev' }),
      'E_CONFIG',
      'encode it with task trex, not tacred',
    );
    const empty = join(dir, 'empty');
    mkdirSync(empty);
    await expectError(
      encodeFile({ ...base, task: 'trex', input: empty, split: 'train' }),
      'E_NOT_FOUND',
      'neither manifest.json',
    );
  });
});

describe('a released trex-rc directory (train.json / dev.json)', () => {
  it('reads <split>.json and keeps the official 410 relations (training never read relations.json)', async () => {
    const released = join(dir, 'released');
    mkdirSync(released);
    copyFileSync(tinyFixture('examples/trex.json'), join(released, 'dev.json'));
    writeFileSync(join(released, 'relations.json'), '{"P17": 0}');
    const split = await openDatasetSplit(released, 'dev');
    expect(split.files).toEqual([join(released, 'dev.json')]);
    expect(split.labels).toBeUndefined();
    const tok = await loadTokenizer(tinyFixture());
    const enc = await encodeFile({ task: 'trex', input: released, split: 'dev', tokenizer: tok, maxLen: 32 });
    expect(enc.labels).toEqual([...OFFICIAL_TREX_RELATIONS]);
    // the same five examples the fixture file gives (one dropped: marker beyond L = 32)
    expect(Array.from(enc.exampleIndex)).toEqual([0, 1, 2, 3, 5]);
  });
});
