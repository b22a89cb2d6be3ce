import { join } from 'node:path';
import { loadKnowledgeModule, validateKnowledgeAdapterModule } from '@kadapter/core';
import { headKind, parseHeadConfig } from '@kadapter/heads';
import { pretrain } from '@kadapter/pretrain';
import { repoRoot, tinyFixture, useBackend, useTempDir } from '@kadapter/test-utils';
import { describe, expect, it } from 'vitest';
import lexical, { LEXICAL_RELATIONS } from '../src/index.js';

const tempDir = useTempDir('kadapter-lexical-module-');

describe('the lexical knowledge-adapter module', () => {
  it("implements core's contract; its head is a registered kind with the five relations", () => {
    expect(validateKnowledgeAdapterModule(lexical, '@kadapter/adapter-lexical')).toBe(lexical);
    const head = lexical.pretraining.head({ hiddenSize: 64, maxLength: 64 });
    expect(parseHeadConfig(head).kind).toBe('fac-pretraining');
    expect(head.labels).toEqual([...LEXICAL_RELATIONS]);
    for (const s of Object.keys(lexical.pretraining.inputs.selectors))
      expect(headKind(head.kind).selectors).toContain(s);
  });

  it('resolves by package name from the repository root', async () => {
    const loaded = await loadKnowledgeModule('@kadapter/adapter-lexical', { cwd: repoRoot() });
    expect(loaded.module.name).toBe('lexical');
    expect(loaded.module.pretraining.name).toBe('lexical');
  });

  it('pre-trains on its bundled sample beside the tiny backbone', async () => {
    await useBackend('cpu');
    const out = join(await tempDir(), 'run');
    const r = await pretrain({
      module: lexical,
      backbone: tinyFixture(),
      adapter: { taps: [0, 2, 3], adapterSize: 32, heads: 4, intermediateSize: 64 },
      out,
      settings: { maxSteps: 4, batchSize: 16 },
      progress: { silent: true },
      log: () => {},
    });
    expect(r.steps).toBe(4);
    expect(r.examples.train).toBeGreaterThan(300);
    expect(r.examples.eval).toBeGreaterThan(80);
    expect(r.metrics?.examples).toBe(r.examples.eval);
  });
});
