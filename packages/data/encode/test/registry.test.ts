import { tinyFixture } from '@kadapter/test-utils';
import { loadTokenizer } from '@kadapter/tokenizer';
import { describe, expect, it } from 'vitest';
import { encodeFile, encoderNames, getEncoder, registerEncoder } from '../src/index.js';
import type { TaskEncoder } from '@kadapter/core';

/** A third-party task: the first word of each T-REx example, as <s> word </s>. */
const firstWord: TaskEncoder<{ word: string }> = {
  name: 'example/first-word',
  description: 'test encoder',
  featureShapes: (ctx) => ({ input_ids: [ctx.maxLen], length: [] }),
  parse: (record) => ({ word: (record.value as { token: string[] }).token[0]! }),
  segments: (ex) => [ex.word],
  build(_ex, tokens, ctx) {
    const seq = [ctx.tokenizer.special.bos.token, ...tokens[0]!, ctx.tokenizer.special.eos.token];
    if (seq.length > ctx.maxLen) return { skip: 'too_long' };
    const ids = new Int32Array(ctx.maxLen).fill(ctx.tokenizer.special.pad.id);
    seq.forEach((t, i) => {
      ids[i] = ctx.tokenizer.tokenToId(t);
    });
    return { features: { input_ids: ids, length: [seq.length] } };
  },
};

describe('encoder registry', () => {
  it('has the six built-in tasks', () => {
    expect(encoderNames()).toEqual(['trex', 'find_head', 'openentity', 'figer', 'tacred', 'cosmosqa']);
  });

  it('accepts a third-party encoder under any name and runs it', async () => {
    registerEncoder(firstWord as TaskEncoder);
    expect(getEncoder('example/first-word')).toBe(firstWord);
    const tok = await loadTokenizer(tinyFixture());
    const enc = await encodeFile({
      task: 'example/first-word',
      input: tinyFixture('examples/trex.json'),
      tokenizer: tok,
      maxLen: 4,
    });
    // first words: Paris, The, Born (ĠB or n: too long for 4), Mount (ĠM ount), The, Berlin
    expect(Array.from(enc.tensors.get('length')!.data)).toEqual([3, 3, 4, 3, 3]);
    expect(enc.skipped).toEqual({ too_long: 1 });
    expect(Array.from(enc.tensors.get('input_ids')!.data.subarray(0, 4))).toEqual(
      ['<s>', 'ĠParis', '</s>', '<pad>'].map((t) => tok.tokenToId(t)),
    );
  });

  it('refuses a duplicate name unless replacing, and names unknown tasks', () => {
    expect(() => registerEncoder({ ...firstWord } as TaskEncoder)).toThrowError(/already registered/);
    registerEncoder({ ...firstWord } as TaskEncoder, { replace: true });
    expect(() => getEncoder('nope')).toThrowError(/unknown task 'nope' \(known: trex, find_head/);
  });
});
