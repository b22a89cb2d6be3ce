import { readFile } from 'node:fs/promises';
import { loadSafetensors } from '@kadapter/io';
import { fixtureVectors, tensorOf } from '@kadapter/test-fixtures';
import { compareClose, describeBackends, expectClose, PARITY, tinyFixture } from '@kadapter/test-utils';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { backboneFromWeights, parseBackboneConfig, type TransformerBackbone } from '../src/index.js';

/**
 * BERT differs from RoBERTa in position ids (0..L-1), token types and eps. The tiny RoBERTa
 * rewritten as a BERT checkpoint (position table shifted by RoBERTa's offset 2, token-type table
 * [zeros, RoBERTa's single row]) must reproduce the RoBERTa reference when every token has type 1,
 * which checks BERT's position numbering and token-type lookup against the fixture.
 */
describeBackends('BERT numbering and token types', () => {
  let bert: TransformerBackbone;
  let ref: Map<string, tf.Tensor>;
  let ones: tf.Tensor2D;

  beforeAll(async () => {
    const stored = await loadSafetensors(tinyFixture('model.safetensors'));
    const named = new Map<string, tf.Tensor>();
    for (const [n, t] of stored) named.set(`bert.${n.slice('roberta.'.length)}`, t);
    named.set(
      'bert.embeddings.position_embeddings.weight',
      tf.slice(tensorOf(stored, 'roberta.embeddings.position_embeddings.weight'), [2, 0], [128, 64]),
    );
    named.set(
      'bert.embeddings.token_type_embeddings.weight',
      tf.concat([tf.zeros([1, 64]), tensorOf(stored, 'roberta.embeddings.token_type_embeddings.weight')]),
    );
    const roberta = JSON.parse(await readFile(tinyFixture('config.json'), 'utf8'));
    const config = parseBackboneConfig({
      ...roberta,
      model_type: 'bert',
      max_position_embeddings: 128,
      type_vocab_size: 2,
    });
    bert = await backboneFromWeights(config, named);
    tf.dispose([...stored.values(), ...named.values()]);
    ref = await fixtureVectors('core.');
    ones = tf.onesLike(tensorOf(ref, 'core.input_ids')) as tf.Tensor2D;
  });
  afterAll(() => {
    bert.dispose();
    tf.dispose([...ref.values(), ones]);
  });

  it('reproduces the reference with token type 1 and positions 0..L-1', () => {
    const input = {
      inputIds: tensorOf<tf.Tensor2D>(ref, 'core.input_ids'),
      attentionMask: tensorOf<tf.Tensor2D>(ref, 'core.attention_mask'),
    };
    const out = bert.encode({ ...input, tokenTypeIds: ones });
    for (let k = 0; k <= 4; k++)
      expectClose(out.hiddenStates[k]!, tensorOf(ref, `core.hidden_states.${k}`), `bert hidden_states.${k}`, PARITY);
    const typeZero = bert.encode(input, { taps: [] });
    expect(compareClose(typeZero.last, tensorOf(ref, 'core.hidden_states.4')).maxAbs).toBeGreaterThan(1e-2);
    tf.dispose([...out.hiddenStates, out.mask, typeZero.last, typeZero.mask] as tf.Tensor[]);
  });

  it('allows sequences up to max_position_embeddings (no RoBERTa offset)', () => {
    const ids = tf.fill([1, 128], 5, 'int32') as tf.Tensor2D;
    const mask = tf.onesLike(ids);
    const out = bert.encode({ inputIds: ids, attentionMask: mask }, { taps: [] });
    expect(out.last.shape).toEqual([1, 128, 64]);
    tf.dispose([ids, mask, out.last, out.mask]);
  });
});
