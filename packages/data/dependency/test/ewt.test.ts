import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { useTempDir } from '@kadapter/test-utils';
import { describe, expect, it } from 'vitest';
import { buildFindHead, type FindHeadExample, readFindHead } from '../src/index.js';
import { EWT } from './helpers.js';

const tempDir = useTempDir('kadapter-dep-test-');

/** Counts from ../shared/data/ud-english-ewt/README.md ("Counts", matching upstream stats.xml). */
const README_COUNTS = {
  train: { sentences: 12544, words: 204577, multiwordTokens: 2614, emptyNodes: 37 },
  dev: { sentences: 2001, words: 25147, multiwordTokens: 359, emptyNodes: 4 },
  test: { sentences: 2077, words: 25094, multiwordTokens: 354, emptyNodes: 2 },
} as const;

/** An independent minimal reading of a CoNLL-U file: per sentence, # text and the integer-ID rows. */
async function rawSentences(file: string) {
  const blocks = (await readFile(file, 'utf8')).split('\n\n').filter((b) => b.trim() !== '');
  return blocks.map((b) => {
    const lines = b.split('\n');
    const text = lines.find((l) => l.startsWith('# text = '))?.slice('# text = '.length);
    const words = lines.filter((l) => /^\d+\t/.test(l)).map((l) => l.split('\t'));
    const ranges = lines.filter((l) => /^\d+-\d+\t/.test(l)).map((l) => l.split('\t'));
    return { text, words, ranges };
  });
}

const cpSlice = (s: string, start: number, end: number) => [...s].slice(start, end).join('');

describe('find_head from UD English EWT', () => {
  for (const split of ['dev', 'test', 'train'] as const) {
    it(`${split}: sentence, word, multiword and empty-node counts match the README`, async () => {
      const out = join(await tempDir(), `${split}.json`);
      const manifest = await buildFindHead({ inputs: [EWT(split)], out, progress: { silent: true } });
      expect(manifest.counts).toMatchObject({ ...README_COUNTS[split], written: README_COUNTS[split].sentences });
      expect(Object.values(manifest.counts.skipped).every((n) => n === 0)).toBe(true);
      expect(manifest.counts.multiwordMismatches).toBe(0); // README: every multiword token concatenates
    });
  }

  it('dev and test: sent equals # text (one counted NBSP mismatch in test), spans cut out each FORM, pairs are HEAD/DEPREL', async () => {
    for (const split of ['dev', 'test'] as const) {
      const out = join(await tempDir(), `${split}.json`);
      const manifest = await buildFindHead({ inputs: [EWT(split)], out, progress: { silent: true } });
      const raw = await rawSentences(EWT(split));
      const examples: FindHeadExample[] = [];
      for await (const e of readFindHead(out)) examples.push(e);
      expect(examples).toHaveLength(raw.length);
      let mismatches = 0;
      examples.forEach((e, k) => {
        const r = raw[k] as (typeof raw)[number];
        if (e.sent !== r.text) mismatches++;
        expect(e.tokens).toHaveLength(r.words.length);
        r.words.forEach((w, i) => {
          const span = e.tokens[i]?.[String(i + 1)];
          expect(span && cpSlice(e.sent, span.start, span.end)).toBe(w[1]);
        });
        expect(e.pairs).toEqual(
          r.words.map((w) => ({ dependent_index: Number(w[0]), governor_index: Number(w[6]), relation: w[7] })),
        );
      });
      expect(mismatches).toBe(manifest.counts.textMismatches);
      expect(mismatches).toBe(split === 'test' ? 1 : 0);
      if (split === 'test') expect(manifest.textMismatches[0]?.text).toContain('\u00a0');
    }
  });
});
