import { expectError, tinyFixture } from '@kadapter/test-utils';
import { loadTokenizer, type RobertaTokenizer } from '@kadapter/tokenizer';
import { beforeAll, describe, expect, it } from 'vitest';
import { collectFeatures, encodeFile, encodeRecords, getEncoder, IGNORE_INDEX } from '../src/index.js';
import type { EncoderOptions } from '@kadapter/core';
import { records } from './helpers.js';

let tok: RobertaTokenizer;
beforeAll(async () => {
  tok = await loadTokenizer(tinyFixture());
});

async function encodeMemory(task: string, values: unknown[], maxLen: number, options: EncoderOptions = {}) {
  const encoder = getEncoder(task);
  const ctx = { tokenizer: tok, maxLen, options };
  return collectFeatures(encodeRecords(encoder, records(values), ctx), encoder.featureShapes(ctx));
}

function row(data: Int32Array, r: number, width: number): number[] {
  return Array.from(data.subarray(r * width, (r + 1) * width));
}

describe('find_head aligned mode', () => {
  const L = 32;
  const padTo = (xs: number[]) => [...xs, ...new Array(L - xs.length).fill(IGNORE_INDEX)];

  it('labels each first sub-token with its head first sub-token position (hand-checked)', async () => {
    const enc = await encodeFile({
      task: 'find_head',
      input: tinyFixture('examples/find_head.json'),
      tokenizer: tok,
      maxLen: L,
      options: { findHeadLabels: 'aligned' },
    });
    // The last word may be a head now, so "Big dogs bark" (example 2) is kept; example 4 is still too long.
    expect(Array.from(enc.exampleIndex)).toEqual([0, 1, 2, 3]);
    expect(enc.skipped).toEqual({ too_long: 1 });
    const labels = enc.tensors.get('labels')!.data;
    // "The old river runs through the quiet town ." is one token per word: word i sits at position i,
    // heads [3,3,4,0,8,8,8,4,4] are positions, ROOT -> 0 (<s>).
    expect(row(labels, 0, L)).toEqual(padTo([IGNORE_INDEX, 3, 3, 4, 0, 8, 8, 8, 4, 4]));
    // "Big dogs bark": <s>=0 ĠB=1 i g Ġdo=4 g s Ġb=7 ark </s>; Big->dogs(4), dogs->bark(7), bark->ROOT(0).
    expect(row(enc.tensors.get('input_ids')!.data, 2, L).slice(0, 10)).toEqual(
      ['<s>', 'ĠB', 'i', 'g', 'Ġdo', 'g', 's', 'Ġb', 'ark', '</s>'].map((t) => tok.tokenToId(t)),
    );
    expect(row(labels, 2, L)).toEqual(
      padTo([IGNORE_INDEX, 4, IGNORE_INDEX, IGNORE_INDEX, 7, IGNORE_INDEX, IGNORE_INDEX, 0]),
    );
  });

  it('faithful labels of the same sentence are word-aligned and 1-based', async () => {
    const enc = await encodeFile({
      task: 'find_head',
      input: tinyFixture('examples/find_head.json'),
      tokenizer: tok,
      maxLen: L,
    });
    expect(row(enc.tensors.get('labels')!.data, 0, L).slice(0, 11)).toEqual([0, 4, 4, 5, 1, 9, 9, 9, 5, 5, 0]);
  });

  it('names the official drops: bad pair, word without head, bad span, head out of range', async () => {
    const sent = 'a b';
    const tokens = [{ '1': { start: 0, end: 1 } }, { '2': { start: 2, end: 3 } }];
    const ok = { dependent_index: 1, governor_index: 0 };
    const enc = await encodeMemory(
      'find_head',
      [
        { sent, tokens, pairs: [ok, { dependent_index: 2 }] },
        { sent, tokens, pairs: [ok] },
        {
          sent,
          tokens: [tokens[0], { '3': { start: 2, end: 3 } }],
          pairs: [ok, { dependent_index: 2, governor_index: 1 }],
        },
        { sent, tokens, pairs: [ok, { dependent_index: 2, governor_index: 7 }] },
        {
          sent,
          tokens,
          pairs: [
            { dependent_index: 1, governor_index: 2 },
            { dependent_index: 2, governor_index: 0 },
          ],
        },
        { sent, tokens, pairs: [ok, { dependent_index: 2, governor_index: 1 }] },
      ],
      16,
    );
    expect(enc.skipped).toEqual({
      bad_pair: 1,
      word_without_head: 1,
      bad_word_span: 1,
      head_out_of_range: 1,
      head_is_last_word: 1,
    });
    expect(Array.from(enc.exampleIndex)).toEqual([5]);
  });

  it('missing sent / tokens / pairs are DataErrors naming the field', async () => {
    await expectError(
      encodeMemory('find_head', [{ sent: 'a', pairs: [] }], 16),
      'E_DATA',
      "field 'tokens'",
      'example 0',
    );
  });
});

describe('relation tasks', () => {
  const tacredExample = (relation: string) => ({
    token: ['Anna', 'met', 'Paris'],
    subj_start: 0,
    subj_end: 0,
    obj_start: 2,
    obj_end: 2,
    relation,
  });

  it('TACRED negative sampling keeps the first N-1 no_relation examples of training data', async () => {
    const values = ['no_relation', 'per:spouse', 'no_relation', 'no_relation', 'per:age', 'no_relation'].map(
      tacredExample,
    );
    const train = await encodeMemory('tacred', values, 16, { negativeSample: 3 });
    expect(Array.from(train.exampleIndex)).toEqual([0, 1, 2, 4]);
    expect(train.skipped).toEqual({ negative_sample_limit: 2 });
    expect(Array.from(train.tensors.get('labels')!.data)).toEqual([28, 41, 28, 26]);
    const dev = await encodeMemory('tacred', values, 16);
    expect(dev.read).toBe(6);
    expect(dev.exampleIndex.length).toBe(6);
  });

  it('negative sampling 1 drops the fixture TACRED no_relation example (index 2)', async () => {
    const enc = await encodeFile({
      task: 'tacred',
      input: tinyFixture('examples/tacred.json'),
      tokenizer: tok,
      maxLen: 32,
      options: { negativeSample: 1 },
    });
    expect(Array.from(enc.exampleIndex)).toEqual([0, 1, 3]);
  });

  it('TACRED marker exactly at L is clamped to L-10 (the official code would fail)', async () => {
    // <s> @ Ġthe @ Ġthe×8 # ... : the object marker lands at 1 + 3 + 8 = 12 = L.
    const words = ['the', 'the', 'the', 'the', 'the', 'the', 'the', 'the', 'the', 'town'];
    const value = { token: words, subj_start: 0, subj_end: 0, obj_start: 9, obj_end: 9, relation: 'per:age' };
    const enc = await encodeMemory('tacred', [value], 12);
    expect(Array.from(enc.tensors.get('subj_marker')!.data)).toEqual([1]);
    expect(Array.from(enc.tensors.get('obj_marker')!.data)).toEqual([2]);
    expect(enc.notes).toEqual({ marker_clamped: 1 });
    const trex = await encodeMemory('trex', [{ ...value, relation: 'P17' }], 12);
    expect(trex.skipped).toEqual({ marker_beyond_max_len: 1 });
  });

  it('an unknown relation or a bad field is a DataError naming file, example and field', async () => {
    await expectError(
      encodeFile({ task: 'trex', input: tinyFixture('examples/tacred.json'), tokenizer: tok, maxLen: 32 }),
      'E_DATA',
      'tacred.json',
      'example 0',
      "field 'relation'",
      'org:founded_by',
    );
    await expectError(
      encodeMemory('trex', [{ ...tacredExample('P17'), subj_start: '0' }], 16),
      'E_DATA',
      "field 'subj_start'",
    );
  });
});

describe('entity typing', () => {
  it('OpenEntity: an input longer than L is a DataError (the official code asserts)', async () => {
    await expectError(
      encodeFile({ task: 'openentity', input: tinyFixture('examples/openentity.json'), tokenizer: tok, maxLen: 16 }),
      'E_DATA',
      'openentity.json',
      'example 0',
      '20 tokens exceed --max-len 16',
    );
  });

  it('FIGER: labels derived in first-appearance order, len(tokens) >= L skipped', async () => {
    const input = tinyFixture('examples/openentity.json');
    const enc = await encodeFile({ task: 'figer', input, tokenizer: tok, maxLen: 16 });
    expect(enc.labels).toEqual(['location', 'place', 'organization', 'group', 'person', 'time']);
    // Token counts 20, 16, 9, 24 (vectors.json tokens.openentity): only example 2 is below 16.
    expect(Array.from(enc.exampleIndex)).toEqual([2]);
    expect(enc.skipped).toEqual({ too_long: 3 });
    expect(Array.from(enc.tensors.get('labels')!.data)).toEqual([0, 0, 0, 0, 1, 0]);
    expect(Array.from(enc.tensors.get('marker')!.data)).toEqual([3]);
    await expectError(
      encodeFile({ task: 'figer', input, tokenizer: tok, maxLen: 32, options: { labels: ['person'] } }),
      'E_DATA',
      'example 0',
      '"location"',
    );
  });
});

describe('context checks', () => {
  it('max length below 3 is a ConfigError', async () => {
    await expectError(encodeMemory('trex', [], 2), 'E_CONFIG', 'max length');
  });
});
