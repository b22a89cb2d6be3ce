import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describeBackends, expectClose, PARITY } from '@kadapter/test-utils';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadBackbone, type TransformerBackbone } from '../src/index.js';

/**
 * A backbone saved as K-Adapter saves a fine-tuned one: `model.`-prefixed keys (with the pooler)
 * in a legacy-pickle `pytorch_model.bin`. Reference hidden states come from the vendored
 * pytorch_transformers 1.2 RobertaModel (test/fixtures/make_fixtures.py).
 */
const DIR = join(import.meta.dirname, 'fixtures', 'kadapter-finetuned-legacy');

describeBackends('K-Adapter fine-tuned backbone checkpoint (legacy pickle, model. prefix)', () => {
  let backbone: TransformerBackbone;
  let expected: { input_ids: number[][]; attention_mask: number[][]; hidden_states: number[][][][] };

  beforeAll(async () => {
    backbone = await loadBackbone(DIR);
    expected = JSON.parse(await readFile(join(DIR, 'expected.json'), 'utf8'));
  });
  afterAll(() => backbone.dispose());

  it('loads and matches the official RobertaModel on every hidden state', () => {
    expect(backbone.info).toMatchObject({ name: 'kadapter-finetuned-legacy', hiddenSize: 8, numLayers: 2 });
    const inputIds = tf.tensor2d(expected.input_ids, undefined, 'int32');
    const attentionMask = tf.tensor2d(expected.attention_mask, undefined, 'int32');
    const out = backbone.encode({ inputIds, attentionMask });
    expect(out.hiddenStates).toHaveLength(3);
    const reference = expected.hidden_states.map((h) => tf.tensor3d(h));
    reference.forEach((h, k) => {
      expectClose(out.hiddenStates[k]!, h, `hidden_states.${k}`, PARITY);
    });
    tf.dispose([inputIds, attentionMask, ...reference, ...out.hiddenStates, out.mask] as tf.Tensor[]);
  });
});
