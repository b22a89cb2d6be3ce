import { copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigError, FormatError, NotFoundError, ShapeError, WeightsError } from '@kadapter/core';
import { loadSafetensors } from '@kadapter/io';
import { fixtureVectors, tensorOf } from '@kadapter/test-fixtures';
import {
  checkTensorLeaks,
  errorOf,
  EXACT,
  expectClose,
  PARITY,
  TINY_BACKBONE_INFO,
  tinyFixture,
  useBackend,
  useTempDir,
} from '@kadapter/test-utils';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  backboneFromWeights,
  loadBackbone,
  parseBackboneConfig,
  readBackboneInfo,
  type TransformerBackbone,
} from '../src/index.js';

const fixtureConfig = async () => JSON.parse(await readFile(tinyFixture('config.json'), 'utf8'));

describe('loading a model directory', () => {
  checkTensorLeaks();
  let dir: string;
  let stored: Map<string, tf.Tensor>;
  let ref: Map<string, tf.Tensor>;

  const tempDir = useTempDir('kadapter-backbone-');
  beforeAll(async () => {
    await useBackend('cpu');
    dir = await tempDir();
    stored = await loadSafetensors(tinyFixture('model.safetensors'));
    ref = await fixtureVectors('core.');
  });
  afterAll(async () => {
    for (const t of [...stored.values(), ...ref.values()]) t.dispose();
  });

  /** A model dir with the fixture weights and the fixture config edited by `edit`. */
  async function modelDir(name: string, edit: (c: Record<string, unknown>) => void): Promise<string> {
    const d = join(dir, name);
    await rm(d, { recursive: true, force: true });
    await mkdir(d);
    const config = await fixtureConfig();
    edit(config);
    await writeFile(join(d, 'config.json'), JSON.stringify(config, null, 1));
    await copyFile(tinyFixture('model.safetensors'), join(d, 'model.safetensors'));
    return d;
  }

  const encodeLast = (b: TransformerBackbone) =>
    b.encode(
      { inputIds: tensorOf(ref, 'core.input_ids'), attentionMask: tensorOf(ref, 'core.attention_mask') },
      { taps: [] },
    );

  it('reports its info, a content hash (no Hub revision for a plain directory), and is frozen', async () => {
    const b = await loadBackbone(tinyFixture());
    expect(b.info).toMatchObject(TINY_BACKBONE_INFO);
    expect(b.info.contentHash).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(b.info.revision).toBeUndefined();
    expect(b.frozen).toBe(true);
    expect(b.trainableVariables()).toEqual([]);
    const before = tf.memory().numTensors;
    expect(await readBackboneInfo(tinyFixture())).toEqual(b.info);
    expect(tf.memory().numTensors).toBe(before); // no tensor data read
    b.dispose();
  });

  it('accepts the roberta., bert., model. or no prefix and ignores pooler and LM-head tensors', async () => {
    const config = parseBackboneConfig(await fixtureConfig());
    for (const prefix of ['', 'bert.', 'model.']) {
      const named = new Map([...stored].map(([n, t]) => [prefix + n.slice('roberta.'.length), t]));
      named.set('lm_head.bias', tf.zeros([534]));
      named.set(`${prefix}embeddings.position_ids`, tf.zeros([1, 130], 'int32'));
      const b = await backboneFromWeights(config, named);
      const out = encodeLast(b);
      expectClose(out.last, tensorOf(ref, 'core.hidden_states.4'), `prefix '${prefix}'`, PARITY);
      tf.dispose([out.last, out.mask, named.get('lm_head.bias')!, named.get(`${prefix}embeddings.position_ids`)!]);
      b.dispose();
    }
    for (const t of stored.values()) expect(t.isDisposed).toBe(false);
  });

  it('names every missing, unexpected and misshaped tensor', async () => {
    const config = parseBackboneConfig(await fixtureConfig());
    const named = new Map(stored);
    named.delete('roberta.encoder.layer.2.attention.self.key.bias');
    named.set('roberta.encoder.layer.2.attention.self.kee.bias', tf.zeros([64]));
    named.set('classifier.dense.weight', tf.zeros([2, 64]));
    const err = (await errorOf(() =>
      backboneFromWeights(config, named, { source: 'ckpt.safetensors' }),
    )) as WeightsError;
    expect(err).toBeInstanceOf(WeightsError);
    expect(err.missing).toEqual(['encoder.layer.2.attention.self.key.bias']);
    expect(err.unexpected).toEqual(['encoder.layer.2.attention.self.kee.bias', 'classifier.dense.weight']);
    expect(err.message).toContain('ckpt.safetensors');

    const misshaped = new Map(stored);
    misshaped.set('roberta.encoder.layer.1.output.LayerNorm.weight', tf.zeros([1, 64]));
    const err2 = await errorOf(() => backboneFromWeights(config, misshaped, { source: 'ckpt.safetensors' }));
    expect(err2).toBeInstanceOf(ShapeError);
    expect(err2.message).toContain('encoder.layer.1.output.LayerNorm.weight');
    expect(err2.message).toContain('[1,64]');
    tf.dispose([named.get('roberta.encoder.layer.2.attention.self.kee.bias'), named.get('classifier.dense.weight')]);
    misshaped.get('roberta.encoder.layer.1.output.LayerNorm.weight')?.dispose();
  });

  it('refuses a checkpoint without word embeddings, naming the tensor it looked for', async () => {
    const config = parseBackboneConfig(await fixtureConfig());
    const named = new Map([...stored].map(([n, t]) => [`encoder.${n}`, t]));
    const err = await errorOf(() => backboneFromWeights(config, named));
    expect(err).toBeInstanceOf(WeightsError);
    expect(err.message).toContain('roberta.embeddings.word_embeddings.weight');
  });

  it.each([
    ['vocab_size', 500, 'embeddings.word_embeddings.weight'],
    ['hidden_size', 128, 'embeddings.word_embeddings.weight'],
    ['max_position_embeddings', 514, 'embeddings.position_embeddings.weight'],
    ['type_vocab_size', 2, 'embeddings.token_type_embeddings.weight'],
    ['intermediate_size', 256, 'encoder.layer.0.intermediate.dense.weight'],
    ['num_hidden_layers', 6, undefined],
  ] as const)(
    'a config whose %s disagrees with the weights is a ConfigError naming it',
    async (field, value, tensor) => {
      const d = await modelDir(`bad-${field}`, (c) => {
        c[field] = value;
      });
      const err = (await errorOf(() => loadBackbone(d))) as ConfigError;
      expect(err).toBeInstanceOf(ConfigError);
      expect(err.location.field).toBe(field);
      expect(err.location.file).toBe(join(d, 'config.json'));
      expect((await errorOf(() => readBackboneInfo(d))).message).toBe(err.message);
      if (tensor) expect(err.location.tensor).toBe(tensor);
      expect(err.message).toContain(`field '${field}'`);
    },
  );

  it.each([
    ['hidden_act', 'relu'],
    ['model_type', 'gpt2'],
    ['num_attention_heads', 5],
    ['layer_norm_eps', -1],
    ['vocab_size', 'many'],
  ] as const)('a config with a bad %s is refused', async (field, value) => {
    const d = await modelDir(`invalid-${field}`, (c) => {
      c[field] = value;
    });
    const err = (await errorOf(() => loadBackbone(d))) as ConfigError;
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.location.field).toBe(field);
  });

  it('names the line of a malformed config.json and the directory without weights', async () => {
    const d = await modelDir('malformed', () => {});
    await writeFile(join(d, 'config.json'), '{\n "model_type": "roberta",\n "hidden_size": 64,\n}\n');
    const err = (await errorOf(() => loadBackbone(d))) as FormatError;
    expect(err).toBeInstanceOf(FormatError);
    expect(err.location).toMatchObject({ file: join(d, 'config.json'), line: 4 });

    const empty = await modelDir('no-weights', () => {});
    await rm(join(empty, 'model.safetensors'));
    const err2 = await errorOf(() => loadBackbone(empty));
    expect(err2).toBeInstanceOf(NotFoundError);
    expect(err2.message).toContain('model.safetensors');
  });

  it('namedWeights gives back the stored tensors, under any prefix', async () => {
    const b = await loadBackbone(tinyFixture());
    const named = b.namedWeights('roberta.');
    const expected = [...stored.keys()].filter((n) => !n.startsWith('roberta.pooler.'));
    expect([...named.keys()].sort()).toEqual(expected.sort());
    for (const [n, t] of named) expectClose(t, stored.get(n)!, n, EXACT);
    tf.dispose([...named.values()]);
    const bare = b.namedWeights('');
    expect(bare.has('embeddings.word_embeddings.weight')).toBe(true);
    tf.dispose([...bare.values()]);
    b.dispose();
  });
});
