import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type BackboneInfo, isKAdapterError } from '@kadapter/core';
import { loadSafetensors, saveSafetensors } from '@kadapter/io';
import {
  checkTensorLeaks,
  errorOf,
  EXACT,
  expectClose,
  PARITY,
  tinyFixture,
  useBackend,
  useTempDir,
} from '@kadapter/test-utils';
import type { BackboneOutput } from '@kadapter/nn';
import { fixtureVectors } from '@kadapter/test-fixtures';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADAPTER_CONFIG_FILE,
  ADAPTER_WEIGHTS_FILE,
  type BackboneRef,
  KAdapterStack,
  loadAdapter,
  loadPretrainingHeadWeights,
  saveAdapter,
} from '../src/index.js';
import { adapterTensors, coreBackboneOutput, TINY_CONFIG, TINY_HASH, TINY_HIDDEN, TINY_INFO } from './fixture.js';

const OTHER_HASH = `sha256:${'2'.repeat(64)}`;

const BACKBONE: BackboneRef = { name: 'kadapter-tiny', hiddenSize: 64, numLayers: 4, contentHash: TINY_HASH };
const INFO = TINY_INFO;

describe('adapter directories', () => {
  checkTensorLeaks();
  let root: string;
  let v: Map<string, tf.Tensor>;
  let core: BackboneOutput;
  let fac: KAdapterStack;
  let facDir: string;

  const tempDir = useTempDir('kadapter-adapter-');
  beforeAll(async () => {
    await useBackend('cpu');
    root = await tempDir();
    v = await fixtureVectors('core.');
    core = coreBackboneOutput(v);
    const named = await adapterTensors('fac-adapter');
    fac = KAdapterStack.fromWeights('fac', TINY_CONFIG, TINY_HIDDEN, named, 'fac-adapter/model.safetensors');
    tf.dispose([...named.values()]);
    facDir = join(root, 'fac');
    await saveAdapter(facDir, fac, {
      backbone: BACKBONE,
      pretraining: { task: 'fac', description: 'T-REx relation classification', labels: ['P178', 'P17'] },
    });
  });
  afterAll(async () => {
    fac.dispose();
    tf.dispose([...v.values(), core.mask]);
  });

  it('saves config, weights and card, and reloads an adapter with identical outputs', async () => {
    expect((await readdir(facDir)).sort()).toEqual([ADAPTER_CONFIG_FILE, 'README.md', ADAPTER_WEIGHTS_FILE].sort());
    const meta = JSON.parse(await readFile(join(facDir, ADAPTER_CONFIG_FILE), 'utf8'));
    expect(meta).toMatchObject({
      schemaVersion: 1,
      architecture: 'k-adapter',
      name: 'fac',
      backbone: BACKBONE,
      adapter: {
        taps: [0, 2, 3],
        adapterSize: 32,
        layers: 2,
        heads: 4,
        intermediateSize: 64,
        maskPadding: false,
        skip: 0,
      },
      pretraining: { task: 'fac', labels: ['P178', 'P17'], headWeights: false },
    });
    const card = await readFile(join(facDir, 'README.md'), 'utf8');
    expect(card).toContain('`kadapter-tiny`');
    expect(card).toContain('| taps (hidden-state indices, 0 = embeddings) | 0, 2, 3 |');
    expect(card).toContain('task: `fac` (T-REx relation classification)');
    expect(card).toContain("loadAdapter('<this dir>'");
    const stored = await loadSafetensors(join(facDir, ADAPTER_WEIGHTS_FILE));
    expect(stored.size).toBe(3 * 36);

    const { stack } = await loadAdapter(facDir, { backbone: INFO });
    const out = stack.apply(core).output;
    const original = fac.apply(core).output;
    expectClose(out, original, 'reloaded', EXACT);
    expectClose(out, v.get('core.fac.adapter_out') as tf.Tensor, 'fixture', PARITY);
    tf.dispose([...stored.values(), out, original]);
    stack.dispose();
  });

  it('keeps the pre-training head tensors when given', async () => {
    const head = await loadSafetensors(
      tinyFixture('fac-adapter', 'model.safetensors'),
      (n) => !n.startsWith('adapter.'),
    );
    const dir = join(root, 'with-head');
    await saveAdapter(dir, fac, { backbone: BACKBONE, pretraining: { task: 'fac' }, pretrainingHead: head });
    const back = await loadPretrainingHeadWeights(dir);
    expect([...(back?.keys() ?? [])].sort()).toEqual([...head.keys()].sort());
    for (const [n, t] of head) expectClose(back?.get(n) as tf.Tensor, t, n, EXACT);
    expect(await loadPretrainingHeadWeights(facDir)).toBeUndefined();
    tf.dispose([...head.values(), ...(back?.values() ?? [])]);
  });

  it('refuses another backbone, naming what differs (a name alone is no difference)', async () => {
    const cases: Array<[Partial<BackboneInfo>, RegExp]> = [
      [{ hiddenSize: 768 }, /hidden size: adapter 64, backbone 768/],
      [{ contentHash: OTHER_HASH }, /weights \(SHA-256\): adapter sha256:1{64}, backbone sha256:2{64}/],
      [
        { numLayers: 2 },
        /layers: adapter 4, backbone 2; taps 3 are beyond the backbone depth \(hidden states 0\.\.2\)/,
      ],
    ];
    for (const [change, pattern] of cases) {
      const err = await errorOf(loadAdapter(facDir, { backbone: { ...INFO, ...change } }));
      expect(isKAdapterError(err, 'E_CONFIG'), String(err)).toBe(true);
      expect(err.message).toMatch(pattern);
      expect(err.message).toContain(facDir);
    }
  });

  it('verifies every tensor: missing, extra and misshaped ones are all named', async () => {
    const dir = join(root, 'broken');
    await saveAdapter(dir, fac, { backbone: BACKBONE });
    const file = join(dir, ADAPTER_WEIGHTS_FILE);
    const saved = await loadSafetensors(file);
    const named = new Map(saved);
    named.delete('adapter.1.up_project.bias');
    named.set('adapter.3.down_project.weight', tf.zeros([32, 64]));
    named.set('adapter.0.encoder.layer.1.intermediate.dense.weight', tf.zeros([65, 32]));
    await saveSafetensors(file, named);
    tf.dispose([...saved.values(), ...named.values()]);
    const err = await errorOf(loadAdapter(dir));
    expect(isKAdapterError(err, 'E_MISSING_TENSOR'), String(err)).toBe(true);
    expect(err.message).toContain(file);
    expect(err.message).toContain('missing 1: adapter.1.up_project.bias');
    expect(err.message).toContain('unexpected 1: adapter.3.down_project.weight');
    expect(err.message).toContain('adapter.0.encoder.layer.1.intermediate.dense.weight is [65,32], expected [64,32]');
  });

  it('refuses a config with another schema version or bad fields, naming the field', async () => {
    const dir = join(root, 'badconfig');
    await saveAdapter(dir, fac, { backbone: BACKBONE });
    const file = join(dir, ADAPTER_CONFIG_FILE);
    const meta = JSON.parse(await readFile(file, 'utf8'));
    await writeFile(file, JSON.stringify({ ...meta, schemaVersion: 2 }));
    let err = await errorOf(loadAdapter(dir));
    expect(isKAdapterError(err, 'E_FORMAT')).toBe(true);
    expect(err.message).toMatch(/field 'schemaVersion'.*schemaVersion 2 is not supported/);
    await writeFile(file, JSON.stringify({ ...meta, adapter: { ...meta.adapter, taps: [0, 2, 9] } }));
    err = await errorOf(loadAdapter(dir));
    expect(isKAdapterError(err, 'E_CONFIG')).toBe(true);
    expect(err.message).toMatch(/field 'taps'.*tap 9 is beyond the backbone depth/);
    await writeFile(file, JSON.stringify({ ...meta, adapter: { ...meta.adapter, skip: 3 } }));
    err = await errorOf(loadAdapter(dir));
    expect(err.message).toMatch(/field 'adapter.skip'/);
    await writeFile(file, '{"schemaVersion": 1,');
    err = await errorOf(loadAdapter(dir));
    // the text ends (20 bytes, one line) where a property name should follow
    expect(err.message).toMatch(/adapter_config.json:1 @byte 20: invalid JSON/);
  });

  it('never leaves a half-written directory and refuses to overwrite unless asked', async () => {
    const dir = join(root, 'atomic');
    const disposed = tf.zeros([2]);
    disposed.dispose();
    const err = await errorOf(
      saveAdapter(dir, fac, {
        backbone: BACKBONE,
        pretraining: { task: 'fac' },
        pretrainingHead: new Map([['dense.bias', disposed]]),
      }),
    );
    expect(err.message).toMatch(/disposed/);
    expect((await readdir(root)).filter((n) => n.includes('atomic'))).toEqual([]);

    const exists = await errorOf(saveAdapter(facDir, fac, { backbone: BACKBONE }));
    expect(isKAdapterError(exists, 'E_INPUT')).toBe(true);
    expect(exists.message).toMatch(/exists and is not empty/);
    await saveAdapter(facDir, fac, { backbone: { ...BACKBONE, contentHash: OTHER_HASH }, overwrite: true });
    const meta = JSON.parse(await readFile(join(facDir, ADAPTER_CONFIG_FILE), 'utf8'));
    expect(meta.backbone.contentHash).toBe(OTHER_HASH);
    expect((await readdir(root)).filter((n) => n.startsWith('.'))).toEqual([]);
    await saveAdapter(facDir, fac, { backbone: BACKBONE, overwrite: true });
  });
});
