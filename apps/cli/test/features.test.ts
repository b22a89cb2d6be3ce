import { existsSync } from 'node:fs';
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadSafetensors, SafetensorsFile } from '@kadapter/io';
import { fixtureVectors } from '@kadapter/test-fixtures';
import { checkTensorLeaks, expectClose, PARITY, tinyFixture, useBackend, useTempDir } from '@kadapter/test-utils';
import * as tf from '@tensorflow/tfjs';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { runCli } from '../src/index.js';
import { capture } from './capture.js';

/** The four sentences behind `core.input_ids` of the tiny fixture (see its vectors.json tokens). */
const SENTENCES = [
  'The old river runs through the quiet town near the market .',
  'Paris is the capital of France .',
  'She met the young doctor .',
  'Big dogs bark .',
];

describe('kadapter features', () => {
  checkTensorLeaks();
  let dir: string;
  let ref: Map<string, tf.Tensor>;
  let inputJson: string;

  const tempDir = useTempDir('kadapter-features-cli-');
  beforeAll(async () => {
    await useBackend('cpu');
    dir = await tempDir();
    ref = await fixtureVectors('core.');
    inputJson = join(dir, 'input.json');
    await writeFile(
      inputJson,
      JSON.stringify({
        input_ids: ref.get('core.input_ids')!.arraySync(),
        attention_mask: ref.get('core.attention_mask')!.arraySync(),
      }),
    );
  });
  afterAll(async () => {
    tf.dispose([...ref.values()]);
  });
  afterEach(() => vi.restoreAllMocks());

  async function expectReferenceStates(file: string) {
    const got = await loadSafetensors(file);
    expect([...got.keys()].sort()).toEqual([0, 1, 2, 3, 4].map((k) => `hidden_states.${k}`));
    for (let k = 0; k <= 4; k++) {
      expectClose(got.get(`hidden_states.${k}`)!, ref.get(`core.hidden_states.${k}`)!, `hidden_states.${k}`, PARITY);
    }
    tf.dispose([...got.values()]);
  }

  it('writes hidden_states.<k> for every k from token ids, in batches', async () => {
    const { out } = capture();
    const file = join(dir, 'ids.safetensors');
    const code = await runCli([
      'features',
      '--backbone',
      tinyFixture(),
      '--input',
      inputJson,
      '--out',
      file,
      '--batch-size',
      '3',
    ]);
    expect(code).toBe(0);
    expect(JSON.parse(out.join(''))).toMatchObject({ sequences: 4, length: 16, out: file });
    await expectReferenceStates(file);
    const st = await SafetensorsFile.open(file);
    expect(st.entries.get('hidden_states.4')).toMatchObject({ dtype: 'F32', shape: [4, 16, 64] });
    expect(st.metadata).toMatchObject({ backbone: 'kadapter-tiny', position_ids: 'legacy' });
    await st.close();
  });

  it('tokenises --text like the official code (<s> ... </s>, padded) and gives the same states', async () => {
    capture();
    const file = join(dir, 'text.safetensors');
    const code = await runCli([
      'features',
      '--backbone',
      tinyFixture(),
      '--text',
      `${SENTENCES.join('\n')}\n`,
      '--max-length',
      '16',
      '--out',
      file,
    ]);
    expect(code).toBe(0);
    await expectReferenceStates(file);
  });

  it('pads --text to the longest line by default', async () => {
    const { out } = capture();
    const file = join(dir, 'short.safetensors');
    expect(await runCli(['features', '--backbone', tinyFixture(), '--text', 'Big dogs bark .', '--out', file])).toBe(0);
    expect(JSON.parse(out.join(''))).toMatchObject({ sequences: 1, length: 11 });
    const got = await loadSafetensors(file);
    const expected = tf.slice(ref.get('core.hidden_states.4')!, [3, 0, 0], [1, 11, 64]);
    expectClose(got.get('hidden_states.4')!, expected, 'real tokens of sentence 4', PARITY);
    tf.dispose([...got.values(), expected]);
  });

  /** The fixture's sequences without their padding: rows of different lengths. */
  function unpadded(): { ids: number[][]; mask: number[][] } {
    const ids = ref.get('core.input_ids')!.arraySync() as number[][];
    const mask = ref.get('core.attention_mask')!.arraySync() as number[][];
    const lengths = mask.map((row) => row.reduce((a, b) => a + b, 0));
    return { ids: ids.map((r, i) => r.slice(0, lengths[i])), mask: mask.map((r, i) => r.slice(0, lengths[i])) };
  }

  it('pads ragged input_ids with the config pad id; attention_mask defaults to ones (zeros on padding)', async () => {
    const { ids, mask } = unpadded();
    expect(new Set(ids.map((r) => r.length)).size).toBeGreaterThan(1);
    const noMask = join(dir, 'ragged.json');
    await writeFile(noMask, JSON.stringify({ input_ids: ids }));
    const withMask = join(dir, 'ragged-mask.json');
    await writeFile(withMask, JSON.stringify({ input_ids: ids, attention_mask: mask }));
    for (const input of [noMask, withMask]) {
      const { out } = capture();
      const file = join(dir, 'ragged.safetensors');
      const args = ['features', '--backbone', tinyFixture(), '--input', input, '--out', file, '--max-length', '16'];
      expect(await runCli(args)).toBe(0);
      expect(JSON.parse(out.join(''))).toMatchObject({ sequences: 4, length: 16 });
      // the fixture pads with <pad> = 1 (config pad_token_id) and masks the padding: the same states
      await expectReferenceStates(file);
      vi.restoreAllMocks();
    }
    // without --max-length: the longest row (14 of the fixture's 16 positions)
    const { out } = capture();
    const file = join(dir, 'ragged-longest.safetensors');
    expect(await runCli(['features', '--backbone', tinyFixture(), '--input', noMask, '--out', file])).toBe(0);
    expect(JSON.parse(out.join(''))).toMatchObject({ sequences: 4, length: Math.max(...ids.map((r) => r.length)) });
  });

  it('takes --text-file, one text per line, like --text', async () => {
    capture();
    const text = join(dir, 'sentences.txt');
    await writeFile(text, `${SENTENCES.join('\n')}\n`);
    const file = join(dir, 'text-file.safetensors');
    const args = ['features', '--backbone', tinyFixture(), '--text-file', text, '--max-length', '16', '--out', file];
    expect(await runCli(args)).toBe(0);
    await expectReferenceStates(file);
  });

  it('creates a missing output directory; records no local path in the file', async () => {
    capture();
    const file = join(dir, 'not', 'yet', 'there.safetensors');
    const args = ['features', '--backbone', tinyFixture(), '--text', 'Big dogs bark .', '--out', file];
    expect(await runCli(args)).toBe(0);
    const st = await SafetensorsFile.open(file);
    const metadata = JSON.stringify(st.metadata);
    await st.close();
    expect(metadata).not.toContain(tinyFixture());
    expect(metadata).not.toContain(dir);
  });

  it('the global --quiet silences the progress and the backend notice', async () => {
    const file = join(dir, 'quiet.safetensors');
    const args = ['features', '--backbone', tinyFixture(), '--text', 'Big dogs bark .', '--out', file];
    const loud = capture();
    expect(await runCli(args)).toBe(0);
    expect(loud.err.join('')).toMatch(/tfjs backend = [\s\S]*features: 1\/1 seq/);
    vi.restoreAllMocks();
    const quiet = capture();
    expect(await runCli([...args, '--quiet'])).toBe(0);
    expect(quiet.err.join('')).toBe('');
  });

  it.each([
    ['{"input_ids": [[0, 5, 2]],\n "attention_mask": [[1, 1, 1]],\n}', 'line 3', 'bad.json:3'],
    [
      '{"input_ids": [[0, 5, 2], [0, 5, 999]], "attention_mask": [[1, 1, 1], [1, 1, 1]]}',
      'vocabulary',
      'input_ids[1, 2] = 999',
    ],
    ['{"input_ids": [[0, 5, 2]], "attention_mask": [[1, 1]]}', 'mask shape', "field 'attention_mask'"],
    ['{"input_ids": [[0, 5, 2], [0, 2]], "attention_mask": [[1, 1, 1], [1, 1, 1]]}', 'ragged mask', 'row 1 has 3'],
    ['{"input_ids": [[0, 5, 2], []]}', 'empty row', "field 'input_ids': row 1 is empty"],
    ['{"input_ids": [0, 5, 2], "attention_mask": [[1, 1, 1]]}', 'flat ids', "field 'input_ids'"],
  ])('refuses bad input (%#: %s) with a typed error and writes nothing', async (json, _what, expected) => {
    const { err } = capture();
    const input = join(dir, 'bad.json');
    await writeFile(input, json);
    const file = join(dir, 'never.safetensors');
    const code = await runCli(['features', '--backbone', tinyFixture(), '--input', input, '--out', file]);
    expect(code).toBe(2);
    expect(err.join('')).toContain(expected);
    expect(err.join('')).toContain('bad.json');
    expect(existsSync(file)).toBe(false);
    expect((await readdir(dir)).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });

  it('refuses --input with --text, and a line longer than --max-length', async () => {
    const { err } = capture();
    const file = join(dir, 'never.safetensors');
    const both = ['features', '--backbone', tinyFixture(), '--input', inputJson, '--text', 'x', '--out', file];
    expect(await runCli(both)).toBe(2);
    expect(err.join('')).toContain('exactly one of --input');
    const text = ['features', '--backbone', tinyFixture(), '--text', 'x', '--text-file', inputJson, '--out', file];
    expect(await runCli(text)).toBe(2);
    expect(err.join('')).toContain('exactly one of --input <ids.json>, --text "..." and --text-file <file>');
    const long = ['features', '--backbone', tinyFixture(), '--text', `Big dogs bark .\n${SENTENCES[0]}`];
    expect(await runCli([...long, '--max-length', '12', '--out', file])).toBe(2);
    expect(err.join('')).toContain('line 2 has 14 tokens');
    expect(existsSync(file)).toBe(false);
  });

  it.each([
    ['--batch-size', '0'],
    ['--batch-size', 'x'],
    ['--max-length', '-3'],
  ])('refuses %s %s as an argument error naming the option', async (option, value) => {
    const { err } = capture();
    const file = join(dir, 'never.safetensors');
    const args = ['features', '--backbone', tinyFixture(), '--text', 'Big dogs bark .', '--out', file, option, value];
    expect(await runCli(args)).toBe(1);
    expect(err.join('')).toContain(
      `option '${option} <n>' argument '${value}' is invalid. expected a positive integer`,
    );
    expect(existsSync(file)).toBe(false);
  });
});
