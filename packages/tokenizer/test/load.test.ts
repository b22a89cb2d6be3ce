import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isKAdapterError } from '@kadapter/core';
import { expectError, tinyFixture, useTempDir } from '@kadapter/test-utils';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadTokenizer, loadTokenizerJson, loadVocabMerges, type RobertaTokenizer } from '../src/index.js';

const tempDir = useTempDir('kadapter-tok-');

/** Deterministic texts: fixture sentences plus pseudo-random strings over a mixed alphabet. */
function sampleTexts(): string[] {
  const alphabet = [...'abcdefghijklmnopqrstuvwxyz ABCDEFGHIJ0123456789.,;!?\'"-@#  é東京😀\t\n<>/s'];
  let seed = 12345;
  const next = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const random = Array.from({ length: 300 }, () =>
    Array.from({ length: 1 + Math.floor(next() * 40) }, () => alphabet[Math.floor(next() * alphabet.length)]).join(''),
  );
  const fixed = [
    'The old river runs through the quiet town .',
    'Anna Berg, 45, works for Lumen Labs.',
    "it's 4 July </s> 1901",
  ];
  return [...fixed, ...random];
}

let fromJson: RobertaTokenizer;
let fromVocab: RobertaTokenizer;
beforeAll(async () => {
  fromJson = await loadTokenizerJson(tinyFixture('tokenizer.json'));
  fromVocab = await loadVocabMerges(tinyFixture('vocab.json'), tinyFixture('merges.txt'));
});

describe('loading', () => {
  it('vocab.json + merges.txt give the same tokens, ids and offsets as tokenizer.json', async () => {
    const texts = sampleTexts();
    expect(fromVocab.vocabSize).toBe(fromJson.vocabSize);
    expect(fromVocab.special).toEqual(fromJson.special);
    expect(await fromVocab.tokenizeSegments(texts)).toEqual(await fromJson.tokenizeSegments(texts));
    expect(await fromVocab.encode(texts)).toEqual(await fromJson.encode(texts));
    expect(await fromVocab.encode(texts, { addSpecialTokens: false })).toEqual(
      await fromJson.encode(texts, { addSpecialTokens: false }),
    );
  });

  it('reads the special tokens from the files (RoBERTa ids <s>=0 <pad>=1 </s>=2 <unk>=3)', () => {
    const vocab = JSON.parse(readFileSync(tinyFixture('vocab.json'), 'utf8')) as Record<string, number>;
    expect(fromJson.special).toEqual({
      bos: { token: '<s>', id: vocab['<s>'] },
      eos: { token: '</s>', id: vocab['</s>'] },
      pad: { token: '<pad>', id: vocab['<pad>'] },
      unk: { token: '<unk>', id: vocab['<unk>'] },
    });
    expect(Object.values(fromJson.special).map((s) => s.id)).toEqual([0, 2, 1, 3]);
    expect(fromJson.vocabSize).toBe(Object.keys(vocab).length);
    expect(fromJson.idToToken(vocab['Ġ@']!)).toBe('Ġ@');
    expect(fromJson.idToToken(99999)).toBeUndefined();
  });

  it('loads a directory: tokenizer.json first, else vocab.json + merges.txt', async () => {
    const dir = await tempDir();
    for (const f of ['vocab.json', 'merges.txt', 'special_tokens_map.json']) copyFileSync(tinyFixture(f), join(dir, f));
    const tok = await loadTokenizer(dir);
    expect(tok.source).toContain('vocab.json');
    expect(await tok.tokenizeSegments(['Paris is the capital'])).toEqual([['ĠParis', 'Ġis', 'Ġthe', 'Ġcapital']]);
    expect((await loadTokenizer(tinyFixture())).source).toContain('tokenizer.json');
  });

  it('takes special token names from special_tokens_map.json', async () => {
    const dir = await tempDir();
    copyFileSync(tinyFixture('vocab.json'), join(dir, 'vocab.json'));
    copyFileSync(tinyFixture('merges.txt'), join(dir, 'merges.txt'));
    writeFileSync(join(dir, 'special_tokens_map.json'), JSON.stringify({ pad_token: { content: '<unk>' } }));
    const tok = await loadTokenizer(dir);
    expect(tok.special.pad).toEqual({ token: '<unk>', id: 3 });
  });
});

describe('errors', () => {
  it('unknown token: InputError naming it', () => {
    expect(() => fromJson.tokenToId('Ġnosuchtoken')).toThrowError(/Ġnosuchtoken/);
    try {
      fromJson.tokenToId('Ġnosuchtoken');
    } catch (err) {
      expect(isKAdapterError(err, 'E_INPUT')).toBe(true);
    }
  });

  it('missing path or files: NotFoundError naming them', async () => {
    await expectError(loadTokenizer('/no/such/dir'), 'E_NOT_FOUND', '/no/such/dir');
    const empty = await tempDir();
    await expectError(loadTokenizer(empty), 'E_NOT_FOUND', empty, 'tokenizer.json');
    await expectError(
      loadVocabMerges(join(empty, 'vocab.json'), tinyFixture('merges.txt')),
      'E_NOT_FOUND',
      'vocab.json',
    );
  });

  it('corrupt tokenizer.json: FormatError naming the file and offset', async () => {
    const dir = await tempDir();
    const text = readFileSync(tinyFixture('tokenizer.json'), 'utf8');
    writeFileSync(join(dir, 'tokenizer.json'), text.slice(0, 500));
    await expectError(loadTokenizer(dir), 'E_FORMAT', join(dir, 'tokenizer.json'), '@byte');
    const json = JSON.parse(text);
    json.model.type = 'WordPiece';
    writeFileSync(join(dir, 'tokenizer.json'), JSON.stringify(json));
    await expectError(loadTokenizer(dir), 'E_FORMAT', 'byte-level BPE');
  });

  it('bad merges.txt line: FormatError naming file and line', async () => {
    const dir = await tempDir();
    const lines = readFileSync(tinyFixture('merges.txt'), 'utf8').split('\n');
    lines[5] = 'Ġ';
    writeFileSync(join(dir, 'merges.txt'), lines.join('\n'));
    await expectError(loadVocabMerges(tinyFixture('vocab.json'), join(dir, 'merges.txt')), 'E_FORMAT', 'merges.txt:6');
    lines[5] = 'q zzz';
    writeFileSync(join(dir, 'merges.txt'), lines.join('\n'));
    await expectError(loadVocabMerges(tinyFixture('vocab.json'), join(dir, 'merges.txt')), 'E_FORMAT', ':6', "'zzz'");
  });

  it('vocab without a special token: FormatError naming the token', async () => {
    const dir = await tempDir();
    const vocab = JSON.parse(readFileSync(tinyFixture('vocab.json'), 'utf8')) as Record<string, number>;
    delete vocab['<pad>'];
    writeFileSync(join(dir, 'vocab.json'), JSON.stringify(vocab));
    copyFileSync(tinyFixture('merges.txt'), join(dir, 'merges.txt'));
    await expectError(loadTokenizer(dir), 'E_FORMAT', "'<pad>'", 'vocab.json');
    writeFileSync(join(dir, 'vocab.json'), JSON.stringify({ ...vocab, '<pad>': 'one' }));
    await expectError(loadTokenizer(dir), 'E_FORMAT', 'vocab.json', '<pad>');
  });
});
