import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigError, DataError } from '@kadapter/core';
import { TREX_EXAMPLE_FIELDS } from '@kadapter/data-trex';
import { expectError, sharedPath, useTempDir } from '@kadapter/test-utils';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  buildLexicalDataset,
  LEXICAL_RELATIONS,
  type LexicalExample,
  type LexicalManifest,
  WordNetLexicon,
  wordNetSpans,
  wordnetDb,
} from '../src/index.js';
import { jsonl, rawSynsetLine } from './helpers.js';

const tempDir = useTempDir('kadapter-lexical-build-');
const EWT_DEV = sharedPath('data', 'ud-english-ewt', 'en_ewt-ud-dev.conllu');
const quiet = { silent: true } as const;

let lexicon: WordNetLexicon;
beforeAll(async () => {
  lexicon = await WordNetLexicon.load();
});

// --- independent views of the inputs: plain string handling of the raw files, not the package's readers

const dict = () => wordnetDb().dir;
const FILE = { n: 'noun', v: 'verb', a: 'adj' } as const;
type Pos = keyof typeof FILE;

const indexLines = new Map<Pos, Map<string, string>>();
/** The senses of a lemma from its raw `index.*` line, most frequent first. */
function rawSenses(pos: Pos, lemma: string): string[] {
  let lines = indexLines.get(pos);
  if (!lines) {
    const text = readFileSync(join(dict(), `index.${FILE[pos]}`), 'latin1');
    lines = new Map(text.split('\n').map((l) => [l.slice(0, l.indexOf(' ')), l]));
    indexLines.set(pos, lines);
  }
  const line = lines.get(lemma);
  if (!line) return [];
  const f = line.trim().split(' ');
  const p = Number(f[3]);
  return f.slice(6 + p);
}

/** The raw data line of a synset id such as `n02961779`. */
function rawLine(id: string): string {
  return rawSynsetLine(join(dict(), `data.${FILE[id[0] as Pos]}`), Number(id.slice(1)));
}

/** The pointers of a raw data line: `[symbol, offset, pos, source/target]`. */
function rawPointers(id: string): string[][] {
  const f = rawLine(id).split(' | ')[0]?.split(' ') as string[];
  const w = Number.parseInt(f[3] as string, 16);
  const n = Number(f[4 + 2 * w]);
  return Array.from({ length: n }, (_, i) => f.slice(5 + 2 * w + 4 * i, 9 + 2 * w + 4 * i));
}

/** The words of a raw data line, lower case. */
function rawWords(id: string): string[] {
  const f = rawLine(id).split(' ');
  const w = Number.parseInt(f[3] as string, 16);
  return Array.from({ length: w }, (_, i) => (f[4 + 2 * i] as string).replace(/\(.*\)$/, '').toLowerCase());
}

/** Sentences of a CoNLL-U file by sent_id: word forms and lemmas (integer-ID lines only). */
function rawSentences(file: string): Map<string, { forms: string[]; lemmas: string[] }> {
  const out = new Map<string, { forms: string[]; lemmas: string[] }>();
  for (const block of readFileSync(file, 'utf8').split(/\n\s*\n/)) {
    const id = /^# sent_id = (.*)$/m.exec(block)?.[1];
    if (!id) continue;
    const rows = block
      .split('\n')
      .filter((l) => /^\d+\t/.test(l))
      .map((l) => l.split('\t'));
    out.set(id, { forms: rows.map((r) => r[1] as string), lemmas: rows.map((r) => r[2] as string) });
  }
  return out;
}

const span = (e: LexicalExample, side: 'subj' | 'obj') => e.token.slice(e[`${side}_start`], e[`${side}_end`] + 1);
const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

describe('a hand-made sentence', () => {
  it('gives exactly the pairs WordNet relates, labelled as the raw files say', async () => {
    // what the raw files say: car's first sense has motor_vehicle's first sense as a hypernym (@),
    // good's first sense has an antonym pointer (!) from its word 1 to word 1 of bad's first sense
    const [car] = rawSenses('n', 'car');
    const [vehicle] = rawSenses('n', 'motor_vehicle');
    const [good] = rawSenses('a', 'good');
    const [bad] = rawSenses('a', 'bad');
    expect(rawPointers(`n${car}`)).toContainEqual(['@', vehicle, 'n', '0000']);
    expect(rawPointers(`a${good}`)).toContainEqual(['!', bad, 'a', '0101']);
    expect(rawPointers(`a${bad}`)).toContainEqual(['!', good, 'a', '0101']);

    const dir = await tempDir();
    const file = join(dir, 'hand.conllu');
    const rows = [
      ['The', 'the', 'DET'],
      ['cars', 'car', 'NOUN'],
      ['are', 'be', 'AUX'],
      ['good', 'good', 'ADJ'],
      ['motor', 'motor', 'NOUN'],
      ['vehicles', 'vehicle', 'NOUN'],
      [',', ',', 'PUNCT'],
      ['or', 'or', 'CCONJ'],
      ['bad', 'bad', 'ADJ'],
      ['.', '.', 'PUNCT'],
    ];
    // every word depends on the root "cars" (word 2), "motor" on "vehicles" (word 6)
    const head = (i: number) => (i === 1 ? 0 : i === 4 ? 6 : 2);
    const lines = rows.map(([form, lemma, upos], i) =>
      [i + 1, form, lemma, upos, '_', '_', head(i), 'dep', '_', '_'].join('\t'),
    );
    await writeFile(file, `# sent_id = hand-1\n${lines.join('\n')}\n\n`);
    const out = join(dir, 'out');
    const manifest = await buildLexicalDataset({
      outDir: out,
      conllu: [file],
      glosses: false,
      lexicon,
      devFraction: 0,
      progress: quiet,
    });
    const got = jsonl<LexicalExample>(join(out, 'train.jsonl')).map((e) => [
      e.relation,
      span(e, 'subj').join(' '),
      span(e, 'obj').join(' '),
      e.subj_label,
      e.obj_label,
      e.pos,
    ]);
    expect(got.sort()).toEqual(
      [
        ['antonym', 'bad', 'good', 'bad', 'good', 'a'],
        ['antonym', 'good', 'bad', 'good', 'bad', 'a'],
        ['hypernym', 'cars', 'motor vehicles', 'car', 'motor vehicle', 'n'],
        ['hyponym', 'motor vehicles', 'cars', 'motor vehicle', 'car', 'n'],
      ].sort(),
    );
    // the two nouns and the two adjectives are all the same-category pairs: none is unrelated
    expect(manifest.sources.conllu?.candidates.unrelated).toBe(0);
    expect(manifest.sources.conllu?.sentences).toEqual({ read: 1, invalid: 0, tooLong: 0, used: 1 });
    const first = jsonl<LexicalExample>(join(out, 'train.jsonl'))[0] as LexicalExample;
    // the trex-rc fields in their official order, then where the example came from
    expect(Object.keys(first)).toEqual([...TREX_EXAMPLE_FIELDS, 'source', 'pos']);
    expect(first.docid).toBe('hand-1');
    expect(first.token).toEqual(rows.map((r) => r[0]));
  });
});

describe('wordNetSpans', () => {
  it('takes the longest WordNet lemma at each word that one of its words is tagged for and that is one unit of the tree', () => {
    expect(rawSenses('a', 'not_bad')).not.toEqual([]); // "not bad" is an adjective of WordNet
    expect(rawSenses('n', 'ice_cream')).not.toEqual([]);
    expect(rawSenses('v', 'go_to')).not.toEqual([]);
    // "good , not bad ice cream in Paris ; we are going to attend": [lemma, UPOS, HEAD]
    const words = [
      ['good', 'ADJ', 6],
      [',', 'PUNCT', 4],
      ['not', 'PART', 4],
      ['bad', 'ADJ', 6],
      ['ice', 'NOUN', 6],
      ['cream', 'NOUN', 0],
      ['in', 'ADP', 8],
      ['Paris', 'PROPN', 6],
      [';', 'PUNCT', 6],
      ['we', 'PRON', 12],
      ['be', 'AUX', 12],
      ['go', 'VERB', 6],
      ['to', 'PART', 14],
      ['attend', 'VERB', 12],
    ].map(([lemma, upos, head]) => ({ lemma: lemma as string, upos: upos as string, head: head as number }));
    expect(wordNetSpans(words, lexicon)).toEqual([
      { start: 0, end: 0, lemma: 'good', pos: 'a' },
      { start: 2, end: 3, lemma: 'not_bad', pos: 'a' },
      { start: 4, end: 5, lemma: 'ice_cream', pos: 'n' },
      { start: 11, end: 11, lemma: 'go', pos: 'v' }, // not go_to: "to" depends on "attend"
      { start: 13, end: 13, lemma: 'attend', pos: 'v' },
    ]);
  });
});

describe('a build from UD EWT dev and the glosses', () => {
  const options = {
    conllu: [EWT_DEV],
    maxPerClass: 40,
    devFraction: 0.25,
    seed: 7,
    progress: quiet,
  } as const;
  let out: string;
  let manifest: LexicalManifest;
  let examples: { train: LexicalExample[]; dev: LexicalExample[] };
  beforeAll(async () => {
    out = join(await tempDir(), 'a');
    manifest = await buildLexicalDataset({ ...options, outDir: out, lexicon });
    examples = { train: jsonl(join(out, 'train.jsonl')), dev: jsonl(join(out, 'dev.jsonl')) };
  });

  it('is byte-identical when built again with the same seed (and WordNet read afresh); another seed samples others', async () => {
    const again = join(await tempDir(), 'b');
    await buildLexicalDataset({ ...options, outDir: again });
    for (const name of ['train.jsonl', 'dev.jsonl', 'manifest.json'])
      expect(readFileSync(join(again, name)), name).toEqual(readFileSync(join(out, name)));
    const other = join(await tempDir(), 'c');
    await buildLexicalDataset({ ...options, glosses: false, seed: 8, outDir: other, lexicon });
    const treebank = (file: string) => jsonl<LexicalExample>(file).filter((e) => e.source === 'conllu');
    expect(treebank(join(other, 'train.jsonl'))).not.toEqual(treebank(join(out, 'train.jsonl')));
    expect((await readdir(out)).sort()).toEqual(['dev.jsonl', 'manifest.json', 'train.jsonl']);
  });

  it('has manifest counts equal to the examples written', () => {
    for (const split of ['train', 'dev'] as const) {
      const info = manifest.splits[split];
      const list = examples[split];
      const count = (key: (e: LexicalExample) => string) => {
        const c: Record<string, number> = {};
        for (const e of list) c[key(e)] = (c[key(e)] ?? 0) + 1;
        return c;
      };
      expect(info.examples).toBe(list.length);
      expect(Object.fromEntries(Object.entries(info.relations).filter(([, n]) => n > 0))).toEqual(
        count((e) => e.relation),
      );
      expect(Object.fromEntries(Object.entries(info.sources).filter(([, n]) => n > 0))).toEqual(count((e) => e.source));
      expect(info.pos).toEqual(count((e) => e.pos));
      expect(info.sha256).toBe(sha256(join(out, info.file)));
      expect(info.bytes).toBe(readFileSync(join(out, info.file)).length);
    }
    const all = [...examples.train, ...examples.dev];
    expect(manifest.counts.examples).toBe(all.length);
    for (const r of LEXICAL_RELATIONS) {
      expect(manifest.counts.relations[r]).toBe(all.filter((e) => e.relation === r).length);
      for (const source of ['conllu', 'gloss'] as const)
        expect(manifest.sources[source]?.selected[r], `${source} ${r}`).toBe(
          all.filter((e) => e.relation === r && e.source === source).length,
        );
    }
    for (const source of ['conllu', 'gloss'] as const) {
      const s = manifest.sources[source];
      const sum = (r: Record<string, number>) => Object.values(r).reduce((a, b) => a + b, 0);
      expect(sum(s?.selected ?? {}) + (s?.skipped.not_sampled ?? 0)).toBe(sum(s?.candidates ?? {}));
    }
    expect(manifest.sources.conllu?.sentences.read).toBe(2001); // UD EWT dev has 2,001 sentences (shared/data README)
  });

  it('balances the classes: each related class capped, unrelated = round(mean of the related classes), by part of speech', () => {
    for (const source of ['conllu', 'gloss'] as const) {
      const s = manifest.sources[source];
      if (!s) throw new Error(`no ${source}`);
      const related = (['hypernym', 'hyponym', 'synonym', 'antonym'] as const).map((r) => s.selected[r]);
      for (const [i, r] of (['hypernym', 'hyponym', 'synonym', 'antonym'] as const).entries())
        expect(related[i]).toBe(Math.min(40, s.candidates[r]));
      expect(s.selected.unrelated).toBe(Math.round(related.reduce((a, b) => a + b, 0) / 4));
      // and spread over the parts of speech as the related examples of the source are
      const all = [...examples.train, ...examples.dev].filter((e) => e.source === source);
      const unrelated = all.filter((e) => e.relation === 'unrelated');
      const rest = all.filter((e) => e.relation !== 'unrelated');
      for (const pos of ['n', 'v', 'a']) {
        const share = rest.filter((e) => e.pos === pos).length / rest.length;
        const got = unrelated.filter((e) => e.pos === pos).length;
        expect(Math.abs(got - share * unrelated.length), `${source} ${pos}`).toBeLessThan(1);
      }
    }
  });

  it('splits by lemma pair: no pair has examples in both train and dev', () => {
    const pair = (e: LexicalExample) => `${e.pos}:${[e.subj_label, e.obj_label].sort().join('|')}`;
    const train = new Set(examples.train.map(pair));
    expect(examples.dev.filter((e) => train.has(pair(e)))).toEqual([]);
    expect(examples.dev.length).toBeGreaterThan(0);
  });

  it('points every span at the words of its pair', () => {
    const sentences = rawSentences(EWT_DEV);
    for (const e of [...examples.train, ...examples.dev]) {
      for (const side of ['subj', 'obj'] as const) {
        const words = span(e, side);
        const label = e[`${side}_label`];
        if (e.source === 'gloss') {
          expect(words.join(' ').toLowerCase(), e.docid).toBe(label);
          continue;
        }
        const s = sentences.get(e.docid);
        expect(s?.forms, e.docid).toEqual(e.token);
        const lemmas = s?.lemmas.slice(e[`${side}_start`], e[`${side}_end`] + 1) ?? [];
        expect(lemmas.join(' ').toLowerCase(), e.docid).toBe(label);
      }
      // the two spans never overlap
      expect(e.subj_end < e.obj_start || e.obj_end < e.subj_start, e.docid).toBe(true);
    }
  });

  it('labels gloss pairs as the raw data lines say, and shows the subject sense definition', () => {
    const gloss = [...examples.train, ...examples.dev].filter((e) => e.source === 'gloss');
    expect(new Set(gloss.map((e) => e.relation))).toEqual(new Set(LEXICAL_RELATIONS));
    for (const e of gloss) {
      const [subj, obj] = e.docid.replace('wordnet:', '').split('>') as [string, string];
      expect(rawWords(subj)).toContain(e.subj_label.replace(/ /g, '_'));
      expect(rawWords(obj)).toContain(e.obj_label.replace(/ /g, '_'));
      const to = (id: string, symbol: string) =>
        rawPointers(subj).some((p) => p[0] === symbol && `${p[2]}${p[1]}` === id);
      if (e.relation === 'hypernym') expect(to(obj, '@'), e.docid).toBe(true);
      if (e.relation === 'hyponym') expect(to(obj, '~'), e.docid).toBe(true);
      if (e.relation === 'synonym') expect(obj).toBe(subj);
      if (e.relation === 'antonym') expect(to(obj, '!'), e.docid).toBe(true);
      if (e.relation === 'unrelated') {
        expect(subj).not.toBe(obj);
        expect(rawLine(subj)).not.toContain(obj.slice(1));
        expect(rawLine(obj)).not.toContain(subj.slice(1));
      }
      // `<subject> : <definition> ; <object>`
      expect(e.token[e.subj_end + 1]).toBe(':');
      expect(e.token[e.obj_start - 1]).toBe(';');
      const definition = e.token.slice(e.subj_end + 2, e.obj_start - 1).join('');
      expect(rawLine(subj).split(' | ')[1]?.replace(/\s/g, '').startsWith(definition), e.docid).toBe(true);
    }
  });

  it('labels treebank pairs by the first senses, as the raw index and data lines say', () => {
    for (const e of [...examples.train, ...examples.dev].filter((x) => x.source === 'conllu')) {
      const [sa] = rawSenses(e.pos as Pos, e.subj_label.replace(/ /g, '_'));
      const [sb] = rawSenses(e.pos as Pos, e.obj_label.replace(/ /g, '_'));
      const a = `${e.pos}${sa}`;
      const b = `${e.pos}${sb}`;
      const to = (from: string, id: string, symbol: string) =>
        rawPointers(from).some((p) => p[0] === symbol && `${p[2] === 's' ? 'a' : p[2]}${p[1]}` === id);
      if (e.relation === 'hypernym') expect(to(a, b, '@'), e.docid).toBe(true);
      if (e.relation === 'hyponym') expect(to(b, a, '@'), e.docid).toBe(true);
      if (e.relation === 'synonym') expect(a, e.docid).toBe(b);
      if (e.relation === 'antonym') expect(to(a, b, '!'), e.docid).toBe(true);
      if (e.relation === 'unrelated') expect(a === b || to(a, b, '@') || to(b, a, '@') || to(a, b, '!')).toBe(false);
    }
  });
});

describe('bad input', () => {
  it('refuses options that leave no source or are out of range, with a ConfigError naming the field', async () => {
    const outDir = await tempDir();
    const base = { outDir, lexicon, progress: quiet };
    await expectError(
      buildLexicalDataset({ ...base, glosses: false }),
      'E_CONFIG',
      "field 'conllu'",
      'no context source',
    );
    await expectError(buildLexicalDataset({ ...base, devFraction: 1 }), 'E_CONFIG', "field 'devFraction'");
    await expectError(buildLexicalDataset({ ...base, maxPerClass: 0 }), 'E_CONFIG', "field 'maxPerClass'");
    await expectError(buildLexicalDataset({ ...base, maxSenseRank: 1.5 }), 'E_CONFIG', "field 'maxSenseRank'");
    expect(await readdir(outDir)).toEqual([]);
  });

  it('an invalid CoNLL-U sentence is counted, or under strict a DataError naming file and line with nothing written', async () => {
    const dir = await tempDir();
    const file = join(dir, 'bad.conllu');
    const good = '# sent_id = g\n1\tcars\tcar\tNOUN\t_\t_\t0\troot\t_\t_\n\n';
    await writeFile(file, `${good}# sent_id = b\n1\tbroken line\n\n`);
    const counted = await buildLexicalDataset({
      outDir: join(dir, 'lenient'),
      conllu: [file],
      glosses: false,
      lexicon,
      progress: quiet,
    });
    expect(counted.sources.conllu?.sentences).toEqual({ read: 1, invalid: 1, tooLong: 0, used: 0 });
    const strictOut = join(dir, 'strict');
    const err = await expectError(
      buildLexicalDataset({
        outDir: strictOut,
        conllu: [file],
        glosses: false,
        lexicon,
        strict: true,
        progress: quiet,
      }),
      'E_DATA',
      `${file}:5`,
      'wrong_column_count',
    );
    expect(err).toBeInstanceOf(DataError);
    expect(await readdir(strictOut).catch(() => 'absent')).toBe('absent');
  });

  it('a missing CoNLL-U input is a NotFoundError naming it, a directory without .conllu files an InputError', async () => {
    const outDir = await tempDir();
    const err = await expectError(
      buildLexicalDataset({ outDir, conllu: [join(outDir, 'nope.conllu')], lexicon, progress: quiet }),
      'E_NOT_FOUND',
      'nope.conllu',
    );
    expect(err).not.toBeInstanceOf(ConfigError);
    await expectError(
      buildLexicalDataset({ outDir, conllu: [outDir], lexicon, progress: quiet }),
      'E_INPUT',
      'hold no files',
    );
  });
});
