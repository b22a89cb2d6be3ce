import { access, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DataError, isKAdapterError } from '@kadapter/core';
import { useTempDir } from '@kadapter/test-utils';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildFindHead,
  type ConlluSentence,
  conlluToFindHead,
  dependencyTriples,
  findHeadManifestPath,
  readConllu,
  readFindHead,
  writeFindHead,
} from '../src/index.js';
import { conllu, row } from './helpers.js';

const tempDir = useTempDir('kadapter-dep-test-');

async function sentences(file: string, onInvalid?: Parameters<typeof readConllu>[1]): Promise<ConlluSentence[]> {
  const out: ConlluSentence[] = [];
  for await (const s of readConllu(file, onInvalid)) out.push(s);
  return out;
}

/** The spec's example (kadapter-spec.md §4.2): "I love NLP models ." */
const LOVE = {
  comments: ['# sent_id = s1', '# text = I love NLP models .'],
  rows: [
    row('1', 'I', '2', 'nsubj'),
    row('2', 'love', '0', 'root'),
    row('3', 'NLP', '4', 'compound'),
    row('4', 'models', '2', 'obj'),
    row('5', '.', '2', 'punct'),
  ],
};

/** "I didn't go." with a multiword token, SpaceAfter=No and an empty node. */
const DIDNT = {
  comments: ["# text = I didn't go."],
  rows: [
    row('1', 'I', '4', 'nsubj'),
    row('2-3', "didn't", '_', '_'),
    row('2', 'did', '4', 'aux'),
    row('3', "n't", '4', 'advmod'),
    row('4', 'go', '0', 'root', 'SpaceAfter=No'),
    row('4.1', 'went', '_', '_'),
    row('5', '.', '4', 'punct'),
  ],
};

describe('CoNLL-U to find_head', () => {
  it('gives the spec example exactly (plus the relation)', async () => {
    const file = join(await tempDir(), 'a.conllu');
    await writeFile(file, conllu(LOVE));
    const [s] = await sentences(file);
    const { example, notes } = conlluToFindHead(s as ConlluSentence);
    expect(notes).toEqual({ textMismatch: false, multiwordMismatches: 0 });
    expect({ ...example, pairs: example.pairs.map(({ relation: _, ...p }) => p) }).toEqual({
      sent: 'I love NLP models .',
      tokens: [
        { '1': { start: 0, end: 1 } },
        { '2': { start: 2, end: 6 } },
        { '3': { start: 7, end: 10 } },
        { '4': { start: 11, end: 17 } },
        { '5': { start: 18, end: 19 } },
      ],
      pairs: [
        { dependent_index: 1, governor_index: 2 },
        { dependent_index: 2, governor_index: 0 },
        { dependent_index: 3, governor_index: 4 },
        { dependent_index: 4, governor_index: 2 },
        { dependent_index: 5, governor_index: 2 },
      ],
    });
    expect(dependencyTriples(s as ConlluSentence)[3]).toEqual({ dependent: 4, relation: 'obj', head: 2 });
  });

  it('cuts multiword tokens into their words, honours SpaceAfter=No, skips and counts empty nodes', async () => {
    const file = join(await tempDir(), 'b.conllu');
    await writeFile(file, conllu(DIDNT));
    const [s] = await sentences(file);
    expect(s?.emptyNodes).toBe(1);
    expect(s?.multiwordTokens).toEqual([{ start: 2, end: 3, form: "didn't", spaceAfter: true, line: 3 }]);
    const { example, notes } = conlluToFindHead(s as ConlluSentence);
    expect(example.sent).toBe("I didn't go.");
    expect(notes.textMismatch).toBe(false);
    expect(example.tokens).toEqual([
      { '1': { start: 0, end: 1 } },
      { '2': { start: 2, end: 5 } },
      { '3': { start: 5, end: 8 } },
      { '4': { start: 9, end: 11 } },
      { '5': { start: 11, end: 12 } },
    ]);
    expect(example.pairs.map((p) => p.governor_index)).toEqual([4, 4, 4, 0, 4]);
  });

  it('keeps each word\'s LEMMA and UPOS columns', async () => {
    const file = join(await tempDir(), 'lemma.conllu');
    const rows = [row('1', 'Dogs', '2', 'nsubj'), row('2', 'barked', '0', 'root')];
    rows[0]!.splice(2, 2, 'dog', 'NOUN');
    rows[1]!.splice(2, 2, 'bark', 'VERB');
    await writeFile(file, conllu({ rows }));
    const [s] = await sentences(file);
    expect(s?.words.map((w) => [w.form, w.lemma, w.upos])).toEqual([
      ['Dogs', 'dog', 'NOUN'],
      ['barked', 'bark', 'VERB'],
    ]);
  });

  it('counts offsets in code points (Python str indices)', async () => {
    const file = join(await tempDir(), 'c.conllu');
    await writeFile(file, conllu({ rows: [row('1', '😀', '2', 'discourse'), row('2', 'ok', '0', 'root')] }));
    const { example } = conlluToFindHead((await sentences(file))[0] as ConlluSentence);
    expect(example.tokens[1]).toEqual({ '2': { start: 2, end: 4 } });
  });

  it('a line with the wrong column count is a DataError naming file, line and column', async () => {
    const file = join(await tempDir(), 'bad.conllu');
    const good = conllu(LOVE);
    await writeFile(file, `${good}1\tbroken line\n2\tx\n\n${conllu(DIDNT)}`);
    const badLine = good.split('\n').length; // lines of the first sentence + blank, then the bad line
    const err = await sentences(file).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataError);
    expect((err as DataError).location).toEqual({ file, line: badLine, field: 'columns' });
    expect((err as DataError).message).toMatch(/expected 10 tab-separated columns, got 2/);
    const issues: unknown[] = [];
    const kept = await sentences(file, { onInvalid: (i) => issues.push(i) });
    expect(kept.map((s) => s.words.length)).toEqual([5, 5]);
    expect(issues).toEqual([
      { reason: 'wrong_column_count', file, line: badLine, field: 'columns', message: expect.any(String) },
    ]);
  });

  it.each([
    ['a non-integer HEAD', [row('1', 'a', 'x', 'root')], 'bad_head', 'HEAD'],
    ['a head beyond the sentence', [row('1', 'a', '3', 'root')], 'head_out_of_range', 'HEAD'],
    ['IDs out of order', [row('2', 'a', '0', 'root')], 'non_consecutive_ids', 'ID'],
    ['a bad ID', [row('x', 'a', '0', 'root')], 'bad_id', 'ID'],
    ['a missing relation', [row('1', 'a', '0', '_')], 'bad_deprel', 'DEPREL'],
    ['a range past the end', [row('1-2', 'ab', '_', '_'), row('1', 'a', '0', 'root')], 'bad_multiword_range', 'ID'],
  ])('rejects %s', async (_name, rows, reason, field) => {
    const file = join(await tempDir(), 'x.conllu');
    await writeFile(file, conllu({ rows }));
    const issues: Array<{ reason: string; field: string }> = [];
    expect(await sentences(file, { onInvalid: (i) => issues.push(i) })).toEqual([]);
    expect(issues).toMatchObject([{ reason, field }]);
  });

  it('buildFindHead: counts skips by reason, or under strict fails writing neither file nor manifest', async () => {
    const dir = await tempDir();
    const input = join(dir, 'in.conllu');
    await writeFile(input, `${conllu(LOVE)}1\tonly two\n\n${conllu(DIDNT)}`);
    const out = join(dir, 'train.json');
    const manifest = await buildFindHead({ inputs: [input], out, progress: { silent: true } });
    expect(manifest.counts).toMatchObject({ sentences: 3, written: 2, words: 10, multiwordTokens: 1, emptyNodes: 1 });
    expect(manifest.counts.skipped.wrong_column_count).toBe(1);
    expect(manifest.issues[0]).toMatchObject({ reason: 'wrong_column_count', file: input, field: 'columns' });
    expect(JSON.parse(await readFile(findHeadManifestPath(out), 'utf8'))).toEqual(manifest);
    expect(findHeadManifestPath(out)).toBe(join(dir, 'train.manifest.json'));
    const strictOut = join(dir, 'strict.json');
    await expect(
      buildFindHead({ inputs: [input], out: strictOut, strict: true, progress: { silent: true } }),
    ).rejects.toThrow(DataError);
    await expect(access(strictOut)).rejects.toThrow();
    await expect(access(findHeadManifestPath(strictOut))).rejects.toThrow();
  });

  it('find_head JSON round-trips and is accepted as a build input', async () => {
    const dir = await tempDir();
    const src = join(dir, 'src.conllu');
    await writeFile(src, conllu(LOVE, DIDNT));
    const first = join(dir, 'first.json');
    await buildFindHead({ inputs: [src], out: first, progress: { silent: true } });
    const again = join(dir, 'again.json');
    const manifest = await buildFindHead({ inputs: [first], out: again, progress: { silent: true } });
    expect(manifest.inputs[0]?.format).toBe('find_head');
    expect(await readFile(again, 'utf8')).toBe(await readFile(first, 'utf8'));
    const parsed = JSON.parse(await readFile(first, 'utf8'));
    const copy = join(dir, 'copy.json');
    expect(await writeFindHead(copy, parsed)).toBe(2);
    expect(JSON.parse(await readFile(copy, 'utf8'))).toEqual(parsed);
    await writeFindHead(join(dir, 'empty.json'), []);
    expect(JSON.parse(await readFile(join(dir, 'empty.json'), 'utf8'))).toEqual([]);
  });

  it('readFindHead names the offset and field of a bad example', async () => {
    const file = join(await tempDir(), 'bad.json');
    const good = {
      sent: 'a b',
      tokens: [{ '1': { start: 0, end: 1 } }, { '2': { start: 2, end: 3 } }],
      pairs: [{ dependent_index: 1, governor_index: 2 }],
    };
    const bad = { ...good, pairs: [{ dependent_index: 1, governor_index: 7 }] };
    const text = JSON.stringify([good, bad]);
    await writeFile(file, text);
    const err = await (async () => {
      for await (const _ of readFindHead(file)) {
        // drain
      }
    })().catch((e: unknown) => e);
    expect((err as DataError).location).toEqual({
      file,
      offset: text.indexOf('{', text.indexOf('}]}') + 1),
      field: 'pairs[0].governor_index',
    });
  });
});

describe('fuzz: broken CoNLL-U and find_head give typed errors only', () => {
  it('readConllu and the conversion on corrupted files', async () => {
    const file = join(await tempDir(), 'f.conllu');
    const valid = conllu(LOVE, DIDNT, LOVE);
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: valid.length - 1 }),
        fc.constantFrom('', '\t', '\n', '\n\n', '#', '-', '.', '0', '99', 'x', '1-9', '\t_'),
        fc.boolean(),
        async (at, insert, truncate) => {
          await writeFile(file, truncate ? valid.slice(0, at) : valid.slice(0, at) + insert + valid.slice(at + 1));
          try {
            for await (const s of readConllu(file)) {
              const { example } = conlluToFindHead(s);
              expect(example.tokens).toHaveLength(s.words.length);
            }
          } catch (err) {
            expect(isKAdapterError(err, 'E_DATA'), String(err)).toBe(true);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('readFindHead on corrupted JSON', async () => {
    const dir = await tempDir();
    const src = join(dir, 's.conllu');
    await writeFile(src, conllu(LOVE, DIDNT));
    const json = join(dir, 'v.json');
    await buildFindHead({ inputs: [src], out: json, progress: { silent: true } });
    const valid = await readFile(json);
    const file = join(dir, 'f.json');
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: valid.length - 1 }),
        fc.uint8Array({ minLength: 0, maxLength: 3 }),
        async (at, bytes) => {
          await writeFile(file, Buffer.concat([valid.subarray(0, at), Buffer.from(bytes), valid.subarray(at + 1)]));
          try {
            for await (const _ of readFindHead(file)) {
              // drain
            }
          } catch (err) {
            expect(isKAdapterError(err), String(err)).toBe(true);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
