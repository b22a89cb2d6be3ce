import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSafetensors, SafetensorsFile } from '@kadapter/io';
import { expectClose, tinyFixture, useBackend } from '@kadapter/test-utils';
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
  let dir: string;
  let ref: Map<string, tf.Tensor>;
  let inputJson: string;

  beforeAll(async () => {
    await useBackend('cpu');
    dir = await mkdtemp(join(tmpdir(), 'kadapter-features-cli-'));
    ref = await loadSafetensors(tinyFixture('vectors.safetensors'), (n) => n.startsWith('core.'));
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
    await rm(dir, { recursive: true, force: true });
  });
  afterEach(() => vi.restoreAllMocks());

  async function expectReferenceStates(file: string) {
    const got = await loadSafetensors(file);
    expect([...got.keys()].sort()).toEqual([0, 1, 2, 3, 4].map((k) => `hidden_states.${k}`));
    for (let k = 0; k <= 4; k++) {
      expectClose(got.get(`hidden_states.${k}`)!, ref.get(`core.hidden_states.${k}`)!, `hidden_states.${k}`, {
        atol: 1e-4,
        rtol: 0,
      });
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
    expectClose(got.get('hidden_states.4')!, expected, 'real tokens of sentence 4', { atol: 1e-4, rtol: 0 });
    tf.dispose([...got.values(), expected]);
  });

  it.each([
    ['{"input_ids": [[0, 5, 2]],\n "attention_mask": [[1, 1, 1]],\n}', 'line 3', 'bad.json:3'],
    [
      '{"input_ids": [[0, 5, 2], [0, 5, 999]], "attention_mask": [[1, 1, 1], [1, 1, 1]]}',
      'vocabulary',
      'input_ids[1, 2] = 999',
    ],
    ['{"input_ids": [[0, 5, 2]], "attention_mask": [[1, 1]]}', 'mask shape', "field 'attention_mask'"],
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
