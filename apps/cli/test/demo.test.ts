import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { useTempDir } from '@kadapter/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runCli } from '../src/index.js';
import { capture } from './capture.js';

interface StageResult {
  epochs: Array<{ meanLoss: number }>;
  accuracyBefore: { train: number; dev: number };
  accuracyAfter: { train: number; dev: number };
  reloadMaxAbsDiff?: number;
}

describe('kadapter demo', () => {
  const tempDir = useTempDir('kadapter-demo-');
  afterEach(() => vi.restoreAllMocks());

  it('runs the pipeline end to end: data, encoding, pre-training, fine-tuning, save and reload', async () => {
    const out = join(await tempDir(), 'run');
    const { out: stdout } = capture();
    const code = await runCli(['demo', '--out', out, '--epochs', '4']);
    expect(code).toBe(0);
    const text = stdout.join('');
    expect(text).toContain('[9/9] Results');
    // the skip counts of the two T-REx splits say which split they are
    expect(text).toMatch(/trex: \d+ train \+ \d+ dev kept; skipped in train: [^;]+; in dev: .+\n/);

    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
    // data built from the shipped samples: the official cleaning keeps 99 of the 112 T-REx triples
    expect(results.data.trex.triples).toBe(112);
    expect(results.data.trex.cleaned).toBe(99);
    expect(results.data.findHead.sentences).toBe(200);
    for (const stage of ['factual', 'linguistic', 'cosmosqa'] as const) {
      const r = results[stage] as StageResult;
      expect(r.epochs, stage).toHaveLength(4);
      expect(
        r.epochs.every((e) => Number.isFinite(e.meanLoss)),
        stage,
      ).toBe(true);
    }
    // the adapters learn their pre-training tasks: training loss falls and training accuracy rises
    for (const stage of ['factual', 'linguistic'] as const) {
      const r = results[stage] as StageResult;
      expect(r.epochs[3]?.meanLoss, stage).toBeLessThan(r.epochs[0]?.meanLoss as number);
      expect(r.accuracyAfter.train, stage).toBeGreaterThan(r.accuracyBefore.train);
      // saved adapter directories reload to the same outputs
      expect(r.reloadMaxAbsDiff, stage).toBe(0);
      expect(existsSync(join(out, 'adapters', stage, 'adapter_config.json'))).toBe(true);
      expect(existsSync(join(out, 'adapters', stage, 'README.md'))).toBe(true);
    }
    // the saved setup reloads from disk to identical logits
    expect(results.setup.reloadMaxAbsLogitDiff).toBe(0);
    expect(existsSync(join(out, 'setup', 'setup.json'))).toBe(true);

    // a second run replaces the earlier one in the same directory
    expect(await runCli(['demo', '--out', out, '--epochs', '1'])).toBe(0);
    expect(JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')).epochs).toBe(1);
  }, 900_000); // the whole pipeline: about a minute alone, much longer on a loaded 2-core machine

  it('refuses to write into a directory it did not make', async () => {
    const dir = await tempDir();
    writeFileSync(join(dir, 'notes.txt'), 'keep me');
    const { err } = capture();
    expect(await runCli(['demo', '--out', dir, '--epochs', '1'])).toBe(2);
    expect(err.join('')).toContain('not made by');
    expect(readFileSync(join(dir, 'notes.txt'), 'utf8')).toBe('keep me');
  });
});
