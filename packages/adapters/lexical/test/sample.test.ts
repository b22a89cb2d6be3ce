import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { useTempDir } from '@kadapter/test-utils';
import { describe, expect, it } from 'vitest';
import { buildLexicalDataset, LEXICAL_RELATIONS, type LexicalExample, readLexicalManifest } from '../src/index.js';
import { SAMPLE_OPTIONS } from '../scripts/sample-options.js';
import { jsonl } from './helpers.js';

const SAMPLE = fileURLToPath(new URL('../sample', import.meta.url));
const tempDir = useTempDir('kadapter-lexical-sample-');

describe('the bundled sample', () => {
  it('is what its manifest says: files, hashes, counts per relation', async () => {
    const manifest = await readLexicalManifest(SAMPLE);
    expect(manifest.labels).toEqual(LEXICAL_RELATIONS);
    let total = 0;
    for (const split of ['train', 'dev'] as const) {
      const info = manifest.splits[split];
      const bytes = readFileSync(join(SAMPLE, info.file));
      expect(info.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
      const examples = jsonl<LexicalExample>(join(SAMPLE, info.file));
      expect(info.examples).toBe(examples.length);
      for (const r of LEXICAL_RELATIONS)
        expect(info.relations[r]).toBe(examples.filter((e) => e.relation === r).length);
      total += examples.length;
    }
    expect(manifest.counts.examples).toBe(total);
    expect(total).toBeGreaterThanOrEqual(200);
    expect(total).toBeLessThanOrEqual(1000);
  });

  it('states the licenses of WordNet and UD English EWT', () => {
    const notice = readFileSync(join(SAMPLE, 'NOTICE.md'), 'utf8');
    expect(notice).toContain('WordNet 3.1 Copyright 2011 by Princeton University');
    expect(notice).toContain('CC BY-SA 4.0');
    expect(notice).toContain('npx pnpm@10.34.9 run build-sample');
  });

  it('is rebuilt byte for byte by its command (scripts/build-sample.ts)', async () => {
    const out = await tempDir();
    await buildLexicalDataset({ ...SAMPLE_OPTIONS, outDir: out, progress: { silent: true } });
    for (const file of ['train.jsonl', 'dev.jsonl'])
      expect(readFileSync(join(out, file)), file).toEqual(readFileSync(join(SAMPLE, file)));
    // the builder version carries the package version, which releases bump; everything else is equal
    const rebuilt = await readLexicalManifest(out);
    const committed = await readLexicalManifest(SAMPLE);
    expect({ ...rebuilt, builderVersion: '' }).toEqual({ ...committed, builderVersion: '' });
  });
});
