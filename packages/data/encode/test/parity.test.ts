import { fixtureNumbers } from '@kadapter/test-fixtures';
import { tinyFixture } from '@kadapter/test-utils';
import { loadTokenizer, type RobertaTokenizer } from '@kadapter/tokenizer';
import { beforeAll, describe, expect, it } from 'vitest';
import { type EncodedFile, encodeFile } from '../src/index.js';
import { oneHotIndex, vectorsIndex } from './vectors.js';

let tok: RobertaTokenizer;
beforeAll(async () => {
  tok = await loadTokenizer(tinyFixture());
});

function values(encoded: EncodedFile, name: string): number[] {
  return Array.from(encoded.tensors.get(name)!.data);
}

function allIndices(n: number, dropped: number[]): number[] {
  return Array.from({ length: n }, (_, i) => i).filter((i) => !dropped.includes(i));
}

/** Token strings of each kept row, read back from our ids (compared with vectors.json tokens). */
function tokensOf(encoded: EncodedFile, L: number): string[][] {
  const ids = values(encoded, 'input_ids');
  const mask = values(encoded, 'attention_mask');
  const rows: string[][] = [];
  for (let r = 0; r < ids.length / L; r++) {
    rows.push(ids.slice(r * L, (r + 1) * L).flatMap((id, j) => (mask[r * L + j] ? [tok.idToToken(id)!] : [])));
  }
  return rows;
}

describe('parity with the official conversion (fixtures/kadapter-tiny, L = 32)', () => {
  const L = 32;

  it('trex: ids, mask, markers, labels, kept examples', async () => {
    const enc = await encodeFile({ task: 'trex', input: tinyFixture('examples/trex.json'), tokenizer: tok, maxLen: L });
    expect(enc.tensors.get('input_ids')!.shape).toEqual([5, L]);
    expect(values(enc, 'input_ids')).toEqual((await fixtureNumbers('trex.input_ids')).values);
    expect(values(enc, 'attention_mask')).toEqual((await fixtureNumbers('trex.input_mask')).values);
    expect(values(enc, 'labels')).toEqual((await fixtureNumbers('trex.label_id')).values);
    expect(values(enc, 'subj_marker')).toEqual(
      oneHotIndex((await fixtureNumbers('trex.subj_special_start_id')).values, L),
    );
    expect(values(enc, 'obj_marker')).toEqual(
      oneHotIndex((await fixtureNumbers('trex.obj_special_start_id')).values, L),
    );
    expect(Array.from(enc.exampleIndex)).toEqual((await fixtureNumbers('trex.example_index')).values);
    expect(Array.from(enc.exampleIndex)).toEqual(allIndices(6, vectorsIndex.dropped_examples.trex!.indices));
    expect(enc.read).toBe(6);
    expect(enc.skipped).toEqual({ marker_beyond_max_len: 1 });
    expect(tokensOf(enc, L)).toEqual(vectorsIndex.tokens.trex);
  });

  it('find_head (faithful): ids, mask, word-aligned labels, the two official drops', async () => {
    const enc = await encodeFile({
      task: 'find_head',
      input: tinyFixture('examples/find_head.json'),
      tokenizer: tok,
      maxLen: L,
    });
    expect(values(enc, 'input_ids')).toEqual((await fixtureNumbers('find_head.input_ids')).values);
    expect(values(enc, 'attention_mask')).toEqual((await fixtureNumbers('find_head.input_mask')).values);
    expect(values(enc, 'labels')).toEqual((await fixtureNumbers('find_head.label_ids')).values);
    expect(Array.from(enc.exampleIndex)).toEqual((await fixtureNumbers('find_head.example_index')).values);
    expect(Array.from(enc.exampleIndex)).toEqual(allIndices(5, vectorsIndex.dropped_examples.find_head!.indices));
    // Example 2 ("Big dogs bark"): word 2's head is word 3, the last word. Example 4: 27 words, > 32 tokens.
    expect(enc.skipped).toEqual({ head_is_last_word: 1, too_long: 1 });
    expect(tokensOf(enc, L)).toEqual(vectorsIndex.tokens.find_head);
  });

  it('openentity: ids, mask, Ġ@ marker index, multi-hot labels', async () => {
    const enc = await encodeFile({
      task: 'openentity',
      input: tinyFixture('examples/openentity.json'),
      tokenizer: tok,
      maxLen: L,
    });
    expect(values(enc, 'input_ids')).toEqual((await fixtureNumbers('openentity.input_ids')).values);
    expect(values(enc, 'attention_mask')).toEqual((await fixtureNumbers('openentity.input_mask')).values);
    expect(values(enc, 'marker')).toEqual((await fixtureNumbers('openentity.start_index')).values);
    expect(values(enc, 'marker')).toEqual(oneHotIndex((await fixtureNumbers('openentity.start_id')).values, L));
    expect(values(enc, 'labels')).toEqual((await fixtureNumbers('openentity.labels')).values);
    expect(enc.tensors.get('labels')!.shape).toEqual([4, 9]);
    expect(Array.from(enc.exampleIndex)).toEqual(allIndices(4, vectorsIndex.dropped_examples.openentity!.indices));
    expect(tokensOf(enc, L)).toEqual(vectorsIndex.tokens.openentity);
  });

  it('tacred: ids, mask, markers (one clamped to L-10), labels', async () => {
    const enc = await encodeFile({
      task: 'tacred',
      input: tinyFixture('examples/tacred.json'),
      tokenizer: tok,
      maxLen: L,
    });
    expect(values(enc, 'input_ids')).toEqual((await fixtureNumbers('tacred.input_ids')).values);
    expect(values(enc, 'attention_mask')).toEqual((await fixtureNumbers('tacred.input_mask')).values);
    expect(values(enc, 'subj_marker')).toEqual((await fixtureNumbers('tacred.subj_index')).values);
    expect(values(enc, 'obj_marker')).toEqual((await fixtureNumbers('tacred.obj_index')).values);
    expect(values(enc, 'obj_marker')).toEqual(
      oneHotIndex((await fixtureNumbers('tacred.obj_special_start_id')).values, L),
    );
    expect(values(enc, 'labels')).toEqual((await fixtureNumbers('tacred.label_id')).values);
    expect(values(enc, 'obj_marker')[3]).toBe(L - 10);
    expect(enc.notes).toEqual({ marker_clamped: 1 });
    expect(Array.from(enc.exampleIndex)).toEqual(allIndices(4, vectorsIndex.dropped_examples.tacred!.indices));
    expect(tokensOf(enc, L)).toEqual(vectorsIndex.tokens.tacred);
  });

  it('cosmosqa (L = 48): <s> C </s> Q </s> A </s>, pair truncation, pad id 0, labels', async () => {
    const enc = await encodeFile({
      task: 'cosmosqa',
      input: tinyFixture('examples/cosmosqa.jsonl'),
      tokenizer: tok,
      maxLen: 48,
    });
    expect(enc.tensors.get('input_ids')!.shape).toEqual([2, 4, 48]);
    expect(values(enc, 'input_ids')).toEqual((await fixtureNumbers('cosmosqa.input_ids')).values);
    expect(values(enc, 'attention_mask')).toEqual((await fixtureNumbers('cosmosqa.input_mask')).values);
    expect(values(enc, 'labels')).toEqual((await fixtureNumbers('cosmosqa.label')).values);
    expect(Array.from(enc.exampleIndex)).toEqual(allIndices(2, vectorsIndex.dropped_examples.cosmosqa!.indices));
  });
});
