import { ConfigError, InputError, ShapeError } from '@kadapter/core';
import type { BackboneInput } from '@kadapter/nn';
import { fixtureVectors, tensorOf } from '@kadapter/test-fixtures';
import {
  checkTensorLeaks,
  compareClose,
  describeBackends,
  errorOf,
  EXACT,
  expectClose,
  PARITY,
  tinyFixture,
  useBackend,
} from '@kadapter/test-utils';
import * as tf from '@tensorflow/tfjs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  loadBackbone,
  parseBackboneConfig,
  randomBackbone,
  type TransformerBackbone,
  sequenceData,
} from '../src/index.js';
import { positionIds } from '../src/positions.js';

describe('position ids', () => {
  const roberta = parseBackboneConfig({
    model_type: 'roberta',
    vocab_size: 10,
    hidden_size: 4,
    num_hidden_layers: 1,
    num_attention_heads: 1,
    intermediate_size: 4,
    max_position_embeddings: 20,
  });

  it('legacy numbering equals core.position_ids of the fixture (pads included)', async () => {
    await useBackend('cpu');
    const ref = await fixtureVectors('core.');
    const ids = tensorOf(ref, 'core.input_ids');
    const [b, l] = ids.shape as [number, number];
    expect(Array.from(positionIds(ids.dataSync(), b, l, roberta, 'legacy'))).toEqual(
      Array.from(tensorOf(ref, 'core.position_ids').dataSync()),
    );
    tf.dispose([...ref.values()]);
  });

  it('hf numbering gives pads the padding index and counts only real tokens', () => {
    // pad id 1; a pad in the middle is skipped by the count, as transformers' cumsum rule does
    expect(Array.from(positionIds([0, 5, 1, 6, 1, 1], 1, 6, roberta, 'hf'))).toEqual([2, 3, 1, 4, 1, 1]);
  });

  it('BERT numbers 0..L-1 in either mode', () => {
    const bert = { ...roberta, modelType: 'bert' as const };
    expect(Array.from(positionIds([0, 5, 1, 1], 2, 2, bert, 'hf'))).toEqual([0, 1, 0, 1]);
  });
});

describe('bad input', () => {
  checkTensorLeaks();
  let backbone: TransformerBackbone;
  /** the inputs a test made, disposed after it */
  const made: tf.Tensor[] = [];
  const ids = (rows: number[][]) => {
    const t = tf.tensor2d(rows, undefined, 'int32');
    made.push(t);
    return t;
  };
  afterEach(() => tf.dispose(made.splice(0)));

  beforeAll(async () => {
    await useBackend('cpu');
    backbone = await loadBackbone(tinyFixture());
  });
  afterAll(() => backbone.dispose());

  const encodeError = (input: BackboneInput, taps?: number[]) =>
    errorOf(() => backbone.encode(input, taps ? { taps } : {}));

  it('an id outside the vocabulary names the field and position', async () => {
    const err = await encodeError({ inputIds: ids([[0, 5, 534]]), attentionMask: ids([[1, 1, 1]]) });
    expect(err).toBeInstanceOf(InputError);
    expect(err.message).toContain("field 'input_ids'");
    expect(err.message).toContain('[0, 2] = 534');
    const negative = await encodeError({
      inputIds: ids([
        [0, 5],
        [0, -1],
      ]),
      attentionMask: ids([
        [1, 1],
        [1, 1],
      ]),
    });
    expect(negative.message).toContain('[1, 1] = -1');
  });

  it('a sequence longer than the positions allow', async () => {
    const long = Array.from({ length: 129 }, () => 5);
    const err = await encodeError({ inputIds: ids([long]), attentionMask: ids([long.map(() => 1)]) });
    expect(err).toBeInstanceOf(InputError);
    expect(err.message).toContain('sequence length 129 exceeds the 128 positions');
    // 128 is the longest RoBERTa allows with 130 position embeddings (positions 2..129)
    const ok = backbone.encode(
      { inputIds: ids([long.slice(1)]), attentionMask: ids([long.slice(1).map(() => 1)]) },
      { taps: [] },
    );
    expect(ok.last.shape).toEqual([1, 128, 64]);
    tf.dispose([ok.last, ok.mask]);
  });

  it('a mask whose shape differs from the ids, or with values other than 0/1', async () => {
    const err = await encodeError({ inputIds: ids([[0, 5, 2]]), attentionMask: ids([[1, 1]]) });
    expect(err).toBeInstanceOf(ShapeError);
    expect(err.message).toContain("field 'attention_mask'");
    expect(err.message).toContain('[1,2]');
    const values = await encodeError({ inputIds: ids([[0, 5, 2]]), attentionMask: ids([[1, 2, 1]]) });
    expect(values).toBeInstanceOf(InputError);
    expect(values.message).toContain('attention_mask[0, 1] = 2');
  });

  it('token types outside type_vocab_size, and taps outside the layers', async () => {
    const err = await encodeError({
      inputIds: ids([[0, 5, 2]]),
      attentionMask: ids([[1, 1, 1]]),
      tokenTypeIds: ids([[0, 0, 1]]),
    });
    expect(err).toBeInstanceOf(InputError);
    expect(err.message).toContain('token_type_ids[0, 2] = 1');
    const tap = await encodeError({ inputIds: ids([[0, 5, 2]]), attentionMask: ids([[1, 1, 1]]) }, [5]);
    expect(tap).toBeInstanceOf(InputError);
    expect(tap.message).toContain("field 'taps'");
  });

  it('sequenceData + validateInput check a whole dataset up front, naming the file and the global row', async () => {
    const validateEncodedData = (data: Parameters<typeof sequenceData>[0], _config: unknown, file?: string) => {
      const s = sequenceData(data, file);
      backbone.validateInput(s, file);
      return s.inputIds.shape[1];
    };
    const config = backbone.config;
    const rows = (n: number, last: number) => Array.from({ length: n }, (_, i) => [0, 5, i === n - 1 ? last : 2]);
    const ones = (n: number) => Array.from({ length: n }, () => [1, 1, 1]);
    expect(validateEncodedData({ inputIds: rows(20, 2), attentionMask: ones(20) }, config, 'in.json')).toBe(3);
    const vocab = await errorOf(() =>
      validateEncodedData({ inputIds: rows(20, 999), attentionMask: ones(20) }, config, 'in.json'),
    );
    expect(vocab).toBeInstanceOf(InputError);
    expect(vocab.message).toBe("in.json, field 'input_ids': input_ids[19, 2] = 999 is outside the vocabulary [0, 534)");
    const text = await errorOf(() =>
      validateEncodedData({ inputIds: [[0, '5' as unknown as number, 2]], attentionMask: ones(1) }, config, 'in.json'),
    );
    expect(text.message).toContain('input_ids[0, 1] is not a number');
    const ragged = await errorOf(() =>
      validateEncodedData(
        {
          inputIds: [
            [0, 5, 2],
            [0, 2],
          ],
          attentionMask: ones(2),
        },
        config,
        'in.json',
      ),
    );
    expect(ragged.message).toBe("in.json, field 'input_ids': row 1 has 2 ids, row 0 has 3");
    const long = Array.from({ length: 129 }, () => 5);
    const tooLong = await errorOf(() => validateEncodedData({ inputIds: [long], attentionMask: [long] }, config));
    expect(tooLong.message).toContain('sequence length 129 exceeds the 128 positions');
  });

  it('leaves no tensor behind when it refuses an input', async () => {
    const input = { inputIds: ids([[0, 5, 2]]), attentionMask: ids([[1, 1, 1]]), tokenTypeIds: ids([[0, 3, 0]]) };
    const before = tf.memory().numTensors;
    await encodeError(input, [7]);
    await encodeError(input);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describeBackends('frozen by default, trainable on request', () => {
  let ref: Map<string, tf.Tensor>;
  let input: BackboneInput;

  beforeAll(async () => {
    ref = await fixtureVectors('core.');
    input = { inputIds: tensorOf(ref, 'core.input_ids'), attentionMask: tensorOf(ref, 'core.attention_mask') };
  });
  afterAll(() => tf.dispose([...ref.values()]));

  it('a frozen backbone ignores training: true (no dropout) and has no variables', async () => {
    const b = await loadBackbone(tinyFixture());
    const out = b.encode(input, { training: true, taps: [] });
    expectClose(out.last, tensorOf(ref, 'core.hidden_states.4'), 'frozen, training: true', PARITY);
    expect(b.trainableVariables()).toHaveLength(0);
    tf.dispose([out.last, out.mask]);
    b.dispose();
  });

  it('an unfrozen backbone exposes every weight as a variable and runs dropout only when training', async () => {
    const b = await loadBackbone(tinyFixture(), { trainable: true });
    expect(b.frozen).toBe(false);
    const vars = b.trainableVariables();
    expect(vars).toHaveLength(5 + 4 * 16);
    expect(vars.reduce((n, v) => n + v.size, 0)).toBe(
      534 * 64 + 130 * 64 + 64 + 2 * 64 + 4 * (4 * 64 * 65 + 2 * 64 * 2 + 64 * 128 + 128 + 128 * 64 + 64),
    );
    const evalOut = b.encode(input, { taps: [] });
    expectClose(evalOut.last, tensorOf(ref, 'core.hidden_states.4'), 'unfrozen, training: false', PARITY);
    const trainOut = b.encode(input, { training: true, taps: [] });
    const diff = compareClose(trainOut.last, tensorOf(ref, 'core.hidden_states.4')).maxAbs;
    expect(diff, 'dropout must change the output').toBeGreaterThan(1e-2);
    tf.dispose([evalOut.last, evalOut.mask, trainOut.last, trainOut.mask]);
    b.dispose();
  });

  it('gradients reach every variable, and freeing untapped states early does not change them', async () => {
    const b = await loadBackbone(tinyFixture(), { trainable: true });
    const weights = tf.randomNormal([4, 16, 64], 0, 1, 'float32', 7);
    const grads = (taps?: number[]) =>
      tf.variableGrads(() => {
        const out = b.encode(input, taps ? { taps } : {});
        return tf.sum(tf.mul(out.last, weights)) as tf.Scalar;
      });
    const all = grads();
    const tapped = grads([]);
    const vars = b.trainableVariables();
    for (const v of vars) {
      const g = all.grads[v.name]!;
      expect(g, v.name).toBeDefined();
      expect(
        tf.tidy(() => tf.max(tf.abs(g)).dataSync()[0]),
        `${v.name} gradient is zero`,
      ).toBeGreaterThan(0);
      expectClose(tapped.grads[v.name]!, g, `${v.name} with taps: []`, EXACT);
    }
    tf.dispose([weights, all.value, tapped.value, ...Object.values(all.grads), ...Object.values(tapped.grads)]);
    b.dispose();
  });

  it('refuses to train with different hidden and attention dropout rates', async () => {
    const config = parseBackboneConfig({
      model_type: 'roberta',
      vocab_size: 10,
      hidden_size: 8,
      num_hidden_layers: 1,
      num_attention_heads: 2,
      intermediate_size: 8,
      max_position_embeddings: 12,
      attention_probs_dropout_prob: 0.2,
    });
    const b = randomBackbone(config, { seed: 1 });
    const err = await errorOf(() => b.unfreeze());
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.message).toContain("field 'attention_probs_dropout_prob'");
    b.dispose();
  });
});
