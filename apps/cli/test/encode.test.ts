import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readFeatures } from '@kadapter/data-encode';
import { fixtureNumbers } from '@kadapter/test-fixtures';
import { sharedPath, tinyFixture, useTempDir } from '@kadapter/test-utils';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { runCli } from '../src/index.js';
import { capture } from './capture.js';

const tempDir = useTempDir('kadapter-cli-encode-');
let dir = '';
beforeAll(async () => {
  dir = await tempDir();
});

/** An official reference tensor of the fixture (ids, labels) as plain numbers. */
const officialIds = async (name: string): Promise<number[]> => (await fixtureNumbers(name)).values;

/** The shared T-REx sample built by `kadapter build-data trex` (min count 1, 40-example shards) into `out`. */
async function buildSample(out: string): Promise<void> {
  capture();
  const sample = sharedPath('data', 'trex', 'sample-output.json');
  const args = ['build-data', 'trex', '--input', sample, '--out', out, '--min-count', '1', '--shard-size', '40'];
  expect(await runCli([...args, '--quiet'])).toBe(0);
  vi.restoreAllMocks();
}

const json = (path: string) => JSON.parse(readFileSync(path, 'utf8'));

function encodeArgs(task: string, input: string, out: string, maxLen: number, ...extra: string[]): string[] {
  return [
    'encode',
    '--task',
    task,
    '--tokenizer',
    tinyFixture(),
    '--max-len',
    String(maxLen),
    '--input',
    input,
    '--out',
    out,
    '--quiet',
    ...extra,
  ];
}

describe('kadapter encode', () => {
  afterEach(() => vi.restoreAllMocks());

  it('writes the official T-REx features and prints the skip counts', async () => {
    const { out, err } = capture();
    const file = join(dir, 'trex.safetensors');
    expect(await runCli(encodeArgs('trex', tinyFixture('examples/trex.json'), file, 32))).toBe(0);
    const summary = JSON.parse(out.join(''));
    expect(summary).toMatchObject({ task: 'trex', read: 6, kept: 5, skipped: { marker_beyond_max_len: 1 } });
    expect(err.join('')).toContain('skipped marker_beyond_max_len: 1');
    const features = await readFeatures(file);
    expect(Array.from(features.tensors.get('input_ids')!.data)).toEqual(await officialIds('trex.input_ids'));
    expect(Array.from(features.tensors.get('labels')!.data)).toEqual(await officialIds('trex.label_id'));
    expect(Array.from(features.exampleIndex)).toEqual(await officialIds('trex.example_index'));
    expect(features.metadata.skipped).toEqual({ marker_beyond_max_len: 1 });
  });

  it('encodes every fixture task (find_head both label modes, cosmosqa at L = 48)', async () => {
    capture();
    const cases: Array<[string, string, number, string[], string]> = [
      ['find_head', 'find_head.json', 32, [], 'find_head.label_ids'],
      ['openentity', 'openentity.json', 32, [], 'openentity.input_ids'],
      ['tacred', 'tacred.json', 32, [], 'tacred.input_ids'],
      ['cosmosqa', 'cosmosqa.jsonl', 48, [], 'cosmosqa.input_ids'],
    ];
    for (const [task, input, L, extra, reference] of cases) {
      const file = join(dir, `${task}.safetensors`);
      expect(await runCli(encodeArgs(task, tinyFixture('examples', input), file, L, ...extra))).toBe(0);
      const features = await readFeatures(file);
      const name = reference.endsWith('label_ids') ? 'labels' : 'input_ids';
      expect(Array.from(features.tensors.get(name)!.data), task).toEqual(await officialIds(reference));
    }
    const aligned = join(dir, 'aligned.safetensors');
    const args = encodeArgs(
      'find_head',
      tinyFixture('examples/find_head.json'),
      aligned,
      32,
      '--find-head-labels',
      'aligned',
    );
    expect(await runCli(args)).toBe(0);
    const features = await readFeatures(aligned);
    expect(features.metadata.options).toEqual({ findHeadLabels: 'aligned' });
    expect(Array.from(features.exampleIndex)).toEqual([0, 1, 2, 3]);
  });

  it('applies --negative-sample and --labels', async () => {
    const { out } = capture();
    const file = join(dir, 'tacred-train.safetensors');
    expect(
      await runCli(encodeArgs('tacred', tinyFixture('examples/tacred.json'), file, 32, '--negative-sample', '1')),
    ).toBe(0);
    expect(JSON.parse(out.join(''))).toMatchObject({ kept: 3, skipped: { negative_sample_limit: 1 } });
    const labels = join(dir, 'labels.json');
    writeFileSync(labels, JSON.stringify(['person', 'time', 'location', 'place', 'organization', 'group']));
    const figer = join(dir, 'figer.safetensors');
    expect(
      await runCli(encodeArgs('figer', tinyFixture('examples/openentity.json'), figer, 32, '--labels', labels)),
    ).toBe(0);
    const features = await readFeatures(figer);
    expect(features.metadata.labels).toEqual(['person', 'time', 'location', 'place', 'organization', 'group']);
    // example 0 is "location", "place"
    expect(Array.from(features.tensors.get('labels')!.data.subarray(0, 6))).toEqual([0, 0, 1, 1, 0, 0]);
  });

  it('reads what build-data writes: every shard of --split, labelled by the dataset relations.json', async () => {
    const data = join(dir, 'trex-rc');
    await buildSample(data);
    const manifest = json(join(data, 'manifest.json'));
    const relations = json(join(data, 'relations.json')) as Record<string, number>;
    const byId = Object.keys(relations).sort((a, b) => (relations[a] ?? 0) - (relations[b] ?? 0));
    expect(manifest.splits.train.shards).toHaveLength(3);
    const examples = manifest.splits.train.shards.flatMap((s: { file: string }) =>
      readFileSync(join(data, s.file), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l)),
    );

    const { out, err } = capture();
    const file = join(dir, 'trex-train.safetensors');
    const args = encodeArgs('trex', data, file, 64, '--split', 'train').filter((a) => a !== '--quiet');
    expect(await runCli(args)).toBe(0);
    expect(JSON.parse(out.join(''))).toMatchObject({ split: 'train', read: 89, labels: 8 });
    // the progress knows the total from the manifest
    expect(err.join('')).toMatch(/encode trex: 89\/89 examples .* done/);
    const features = await readFeatures(file);
    expect(features.metadata).toMatchObject({ split: 'train', labels: byId, read: 89 });
    const labels = Array.from(features.tensors.get('labels')!.data);
    expect(labels).toEqual(Array.from(features.exampleIndex, (i) => relations[examples[i].relation]));
  });

  it('--labels takes relations.json (an object {label: id}) as well as an array', async () => {
    const data = join(dir, 'trex-rc-labels');
    await buildSample(data);
    const { out } = capture();
    const shard = join(data, json(join(data, 'manifest.json')).splits.dev.shards[0].file);
    const file = join(dir, 'trex-dev.safetensors');
    const args = encodeArgs('trex', shard, file, 64, '--labels', join(data, 'relations.json'));
    expect(await runCli(args)).toBe(0);
    expect(JSON.parse(out.join(''))).toMatchObject({ read: 10, labels: 8 });
    const relations = json(join(data, 'relations.json')) as Record<string, number>;
    expect((await readFeatures(file)).metadata.labels).toEqual(
      Object.keys(relations).sort((a, b) => (relations[a] ?? 0) - (relations[b] ?? 0)),
    );
  });

  it('a dataset directory without --split, or --split with a file: a typed error, exit 2, nothing written', async () => {
    const data = join(dir, 'trex-rc-split');
    await buildSample(data);
    const { err } = capture();
    const file = join(dir, 'never.safetensors');
    expect(await runCli(encodeArgs('trex', data, file, 64))).toBe(2);
    expect(err.join('')).toContain('E_CONFIG: ');
    expect(err.join('')).toContain("trex-rc-split, field 'split': is a dataset directory: choose the split");
    expect(await runCli(encodeArgs('trex', tinyFixture('examples/trex.json'), file, 64, '--split', 'dev'))).toBe(2);
    expect(err.join('')).toContain('split applies to a dataset directory');
    expect(existsSync(file)).toBe(false);
  });

  it('creates a missing output directory; refuses an output that is a directory before encoding', async () => {
    const { out, err } = capture();
    const nested = join(dir, 'new', 'deeper', 'trex.safetensors');
    expect(await runCli(encodeArgs('trex', tinyFixture('examples/trex.json'), nested, 32))).toBe(0);
    expect(JSON.parse(out.join(''))).toMatchObject({ kept: 5 });
    expect(existsSync(nested)).toBe(true);
    const taken = join(dir, 'taken');
    mkdirSync(taken);
    expect(await runCli(encodeArgs('trex', tinyFixture('examples/trex.json'), taken, 32))).toBe(2);
    expect(err.join('')).toContain('E_INPUT: ' + taken + ': output path is a directory');
  });

  it('records no absolute local path in the features file', async () => {
    capture();
    const file = join(dir, 'shared', 'trex.safetensors');
    expect(await runCli(encodeArgs('trex', tinyFixture('examples/trex.json'), file, 32))).toBe(0);
    const { metadata } = await readFeatures(file);
    // the input shares no folder with the output below the root: its name only
    expect(metadata.input).toBe('trex.json');
    expect(metadata.tokenizer).toBe('tokenizer.json');
    expect(JSON.stringify(metadata)).not.toContain(tinyFixture());
  });

  it('prints a readable summary on a terminal', async () => {
    const { out } = capture();
    const was = process.stdout.isTTY;
    process.stdout.isTTY = true;
    const file = join(dir, 'tty.safetensors');
    try {
      expect(await runCli(encodeArgs('trex', tinyFixture('examples/trex.json'), file, 32))).toBe(0);
    } finally {
      process.stdout.isTTY = was;
    }
    expect(out.join('')).toBe(
      [
        'task:    trex',
        `out:     ${file}`,
        'max len: 32',
        'read:    6',
        'kept:    5',
        'skipped: marker_beyond_max_len 1',
        'notes:   none',
        'labels:  410',
        'tensors: input_ids [5, 32], attention_mask [5, 32], subj_marker [5], obj_marker [5], labels [5]',
        '',
      ].join('\n'),
    );
  });

  it('encodes the real CosmosQA valid.csv', async () => {
    const { out } = capture();
    const file = join(dir, 'cosmosqa-valid.safetensors');
    expect(await runCli(encodeArgs('cosmosqa', sharedPath('data', 'cosmosqa', 'valid.csv'), file, 64))).toBe(0);
    expect(JSON.parse(out.join(''))).toMatchObject({
      read: 2985,
      kept: 2985,
      skipped: {},
      tensors: { input_ids: [2985, 4, 64] },
    });
  });

  it('bad input: a typed error naming what is wrong, exit code 2', async () => {
    const { err } = capture();
    const file = join(dir, 'x.safetensors');
    expect(await runCli(encodeArgs('nope', tinyFixture('examples/trex.json'), file, 32))).toBe(2);
    expect(err.join('')).toContain("E_CONFIG: field 'task': unknown task 'nope'");
    expect(await runCli(encodeArgs('trex', join(dir, 'missing.json'), file, 32))).toBe(2);
    expect(err.join('')).toContain('E_NOT_FOUND');
    expect(await runCli(encodeArgs('openentity', tinyFixture('examples/openentity.json'), file, 16))).toBe(2);
    expect(err.join('')).toMatch(/E_DATA: .*openentity\.json.*example 0: 20 tokens exceed --max-len 16/);
    expect(await runCli(encodeArgs('trex', tinyFixture('examples/trex.json'), file, 2))).toBe(2);
    expect(
      await runCli(encodeArgs('trex', tinyFixture('examples/trex.json'), file, 32, '--find-head-labels', 'x')),
    ).not.toBe(0);
  });
});
