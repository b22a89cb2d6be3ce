import { fileURLToPath } from 'node:url';
import { encodeFile, encodeRecords, getEncoder } from '@kadapter/data-encode';
import { expectError, tinyFixture } from '@kadapter/test-utils';
import { loadTokenizer, type RobertaTokenizer } from '@kadapter/tokenizer';
import { beforeAll, describe, expect, it } from 'vitest';
import { LEXICAL_RELATIONS, type LexicalExample } from '../src/index.js';
import { jsonl } from './helpers.js';

const sample = (file: string) => fileURLToPath(new URL(`../sample/${file}`, import.meta.url));

// The pre-training length of the official adapters (and the factual and linguistic modules).
const MAX_LEN = 64;

let tok: RobertaTokenizer;
beforeAll(async () => {
  tok = await loadTokenizer(tinyFixture());
});

describe('the lexical examples encode with the existing trex relation encoder', () => {
  it.each(['train.jsonl', 'dev.jsonl'])('%s of the bundled sample: labels index LEXICAL_RELATIONS', async (file) => {
    const examples = jsonl<LexicalExample>(sample(file));
    const encoded = await encodeFile({
      task: 'trex',
      input: sample(file),
      tokenizer: tok,
      maxLen: MAX_LEN,
      options: { labels: LEXICAL_RELATIONS },
    });
    expect(encoded.read).toBe(examples.length);
    // the only reason the encoder may drop one: a marker past the 64 tokens of a long context
    expect(Object.keys(encoded.skipped).filter((r) => r !== 'marker_beyond_max_len')).toEqual([]);
    const n = encoded.exampleIndex.length;
    expect(n + (encoded.skipped.marker_beyond_max_len ?? 0)).toBe(examples.length);
    // a dropped example's later entity starts past ~64 tokens of the tiny tokenizer (534 symbols,
    // so a word is several tokens); counted here on the words before it, give or take one token
    // per segment boundary the encoder cuts at
    const kept = new Set(encoded.exampleIndex);
    for (const [i, e] of examples.entries()) {
      if (kept.has(i)) continue;
      const later = Math.max(e.subj_start, e.obj_start);
      const [before] = await tok.tokenizeSegments([e.token.slice(0, later).join(' ')]);
      expect((before as string[]).length + 4, e.docid).toBeGreaterThanOrEqual(MAX_LEN - 3);
    }
    expect(encoded.labels).toEqual(LEXICAL_RELATIONS);
    const labels = encoded.tensors.get('labels')?.data as Int32Array;
    const ids = encoded.tensors.get('input_ids')?.data as Int32Array;
    const subj = encoded.tensors.get('subj_marker')?.data as Int32Array;
    const obj = encoded.tensors.get('obj_marker')?.data as Int32Array;
    const at = tok.tokenToId('@');
    const hash = tok.tokenToId('#');
    const eos = tok.special.eos.id;
    for (let i = 0; i < n; i++) {
      const e = examples[encoded.exampleIndex[i] as number] as LexicalExample;
      expect(labels[i]).toBe(LEXICAL_RELATIONS.indexOf(e.relation));
      // the subject marker position holds '@' and the object marker position '#', except a
      // marker counted at L-1 whose token the cut to L-2 body tokens removed (the official
      // convert_examples_to_features_trex keeps it; </s> is there)
      const expected = (position: number, marker: number) => (position === MAX_LEN - 1 ? eos : marker);
      expect(ids[i * MAX_LEN + (subj[i] as number)]).toBe(expected(subj[i] as number, at));
      expect(ids[i * MAX_LEN + (obj[i] as number)]).toBe(expected(obj[i] as number, hash));
    }
  });

  it('encodeRecords marks the pair exactly: <s> before @ subject @ between # object # after </s>', async () => {
    const e: LexicalExample = {
      docid: 'test',
      token: ['cars', 'are', 'motor', 'vehicles', '.'],
      relation: 'hypernym',
      subj_start: 0,
      subj_end: 0,
      obj_start: 2,
      obj_end: 3,
      subj_label: 'car',
      obj_label: 'motor vehicle',
      source: 'conllu',
      pos: 'n',
    };
    const outcomes = [];
    for await (const o of encodeRecords(getEncoder('trex'), [{ value: e, index: 0, where: { file: 'memory' } }], {
      tokenizer: tok,
      maxLen: 32,
      options: { labels: LEXICAL_RELATIONS },
    }))
      outcomes.push(o);
    expect(outcomes).toHaveLength(1);
    const o = outcomes[0] as { features: Record<string, ArrayLike<number>> };
    const feature = (name: string) => Array.from(o.features[name] as ArrayLike<number>);
    const [cars, are, motorVehicles, dot] = await tok.tokenizeSegments(['cars', 'are', 'motor vehicles', '.']);
    const expected = [
      tok.special.bos.token,
      '@',
      ...(cars as string[]),
      '@',
      ...(are as string[]),
      '#',
      ...(motorVehicles as string[]),
      '#',
      ...(dot as string[]),
      tok.special.eos.token,
    ];
    expect(feature('input_ids').slice(0, expected.length)).toEqual(tok.tokensToIds(expected));
    expect(feature('subj_marker')).toEqual([1]);
    expect(feature('obj_marker')).toEqual([expected.indexOf('#')]);
    expect(feature('labels')).toEqual([LEXICAL_RELATIONS.indexOf('hypernym')]);
  });

  it('a relation outside the lexical labels is a DataError naming the record and field', async () => {
    const bad = { token: ['a', 'b'], subj_start: 0, subj_end: 0, obj_start: 1, obj_end: 1, relation: 'meronym' };
    await expectError(
      async () => {
        for await (const _ of encodeRecords(
          getEncoder('trex'),
          [{ value: bad, index: 0, where: { file: 'x.jsonl', line: 3 } }],
          {
            tokenizer: tok,
            maxLen: 16,
            options: { labels: LEXICAL_RELATIONS },
          },
        ));
      },
      'E_DATA',
      'x.jsonl:3',
      "field 'relation'",
    );
  });
});
