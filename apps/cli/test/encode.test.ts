import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFeatures } from '@kadapter/data-encode';
import { SafetensorsFile } from '@kadapter/io';
import { sharedPath, tinyFixture } from '@kadapter/test-utils';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { runCli } from '../src/index.js';
import { capture } from './capture.js';

const dir = mkdtempSync(join(tmpdir(), 'kadapter-cli-encode-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function officialIds(name: string): Promise<number[]> {
  const file = await SafetensorsFile.open(tinyFixture('vectors.safetensors'));
  try {
    return Array.from((await file.readRaw(name)).data as BigInt64Array, Number);
  } finally {
    await file.close();
  }
}

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
