import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tinyFixture, useTempDir } from '@kadapter/test-utils';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { runCli } from '../src/index.js';
import { capture } from './capture.js';

const tempDir = useTempDir('kadapter-cli-score-');
let dir = '';
beforeAll(async () => {
  dir = await tempDir();
});

function jsonl(name: string, rows: unknown[]): string {
  const path = join(dir, name);
  writeFileSync(path, rows.map((r) => `${JSON.stringify(r)}\n`).join(''));
  return path;
}

/** The official entity_typing_accuracy inputs and outputs (kadapter-tiny/metrics.json). */
const official = (
  JSON.parse(readFileSync(tinyFixture('metrics.json'), 'utf8')) as Record<
    string,
    {
      inputs: { logits: number[][]; labels: number[][] };
      output: { cnt: number; loose_micro: number[]; loose_macro: number[] };
    }
  >
).openentity_entity_typing_accuracy!;
const prf = ([precision, recall, f1]: number[]) => ({ precision, recall, f1 });

describe('kadapter score', () => {
  afterEach(() => vi.restoreAllMocks());

  it('prints the official OpenEntity metrics of a predictions file as one JSON object', async () => {
    const { out } = capture();
    const rows = official.inputs.logits.map((logits, i) => ({ logits, gold: official.inputs.labels[i] }));
    const file = jsonl('oe.jsonl', rows);
    expect(await runCli(['score', '--task', 'openentity', '--predictions', file])).toBe(0);
    expect(out.length).toBe(1);
    expect(JSON.parse(out[0]!)).toEqual({
      examples: 5,
      accuracy: official.output.cnt / 5,
      micro: prf(official.output.loose_micro),
      macro: prf(official.output.loose_macro),
    });
  });

  it('FIGER takes the run label list and the script batch size', async () => {
    const { out } = capture();
    const labels = join(dir, 'labels.json');
    writeFileSync(labels, JSON.stringify(['/a', '/b']));
    // batch size 1 over two examples: e0 (right) is counted twice, e1 (wrong) once
    const file = jsonl('figer.jsonl', [
      { logits: [2, -1], gold: [1, 0] },
      { logits: [-1, 2], gold: [1, 0] },
    ]);
    const args = ['score', '--task', 'figer', '--predictions', file, '--labels', labels, '--eval-batch-size', '1'];
    expect(await runCli(args)).toBe(0);
    const got = JSON.parse(out.join(''));
    expect(got).toMatchObject({ examples: 2, accuracy: 0.5, micro: { precision: 0.5, recall: 0.5, f1: 0.5 } });
    expect(got.official_script_cumulative).toMatchObject({ eval_batch_size: 1, micro: { precision: 2 / 3 } });
  });

  it('a bad row, an unknown task or label: the typed error naming file, line and field, exit 2', async () => {
    const { out, err } = capture();
    const file = jsonl('bad.jsonl', [
      { logits: new Array(42).fill(0), gold: 'no_relation' },
      { logits: new Array(42).fill(0), gold: 'per:pet' },
    ]);
    expect(await runCli(['score', '--task', 'tacred', '--predictions', file])).toBe(2);
    expect(err.join('')).toContain(`kadapter: error E_DATA: ${file}:2, field 'gold': example 1: label "per:pet"`);
    const short = jsonl('short.jsonl', [{ logits: [1, 2, 3], gold: 0 }]);
    expect(await runCli(['score', '--task', 'cosmosqa', '--predictions', short])).toBe(2);
    expect(err.join('')).toContain(`${short}:1, field 'logits': example 0: has 3 values, expected 4`);
    expect(await runCli(['score', '--task', 'squad', '--predictions', short])).toBe(2);
    expect(err.join('')).toContain("E_CONFIG: field 'task': unknown task 'squad'");
    expect(out).toEqual([]);
  });
});
