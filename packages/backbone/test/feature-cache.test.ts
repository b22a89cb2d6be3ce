import { existsSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { BudgetError, ConfigError, InputError } from '@kadapter/core';
import { fixtureVectors, tensorOf } from '@kadapter/test-fixtures';
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
import * as tf from '@tensorflow/tfjs';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  type EncodedData,
  FeatureCache,
  type FeatureKeyParts,
  featureCacheKey,
  hashEncodedData,
  loadBackbone,
  type TransformerBackbone,
} from '../src/index.js';

describe('feature cache key', () => {
  const parts: FeatureKeyParts = {
    backboneRevision: 'sha256:0011223344556677',
    positionIds: 'legacy',
    tokenizer: 'tok-a',
    maxLength: 64,
    dataHash: 'd1',
    taps: [0, 11, 22],
  };

  it('changes when any part changes', () => {
    const variants: FeatureKeyParts[] = [
      { ...parts, backboneRevision: 'sha256:0011223344556678' },
      { ...parts, positionIds: 'hf' },
      { ...parts, tokenizer: 'tok-b' },
      { ...parts, maxLength: 128 },
      { ...parts, dataHash: 'd2' },
      { ...parts, taps: [0, 11, 23] },
    ];
    const keys = new Set([parts, ...variants].map(featureCacheKey));
    expect(keys.size).toBe(variants.length + 1);
    expect(featureCacheKey({ ...parts })).toBe(featureCacheKey(parts));
    expect(featureCacheKey(parts)).toMatch(/^[0-9a-f]{32}$/);
  });

  it('hashes ids and masks, and refuses ragged rows', () => {
    const data: EncodedData = { inputIds: [[0, 5, 2]], attentionMask: [[1, 1, 1]] };
    const h = hashEncodedData(data);
    expect(hashEncodedData({ inputIds: [[0, 5, 2]], attentionMask: [[1, 1, 1]] })).toBe(h);
    expect(hashEncodedData({ inputIds: [[0, 6, 2]], attentionMask: [[1, 1, 1]] })).not.toBe(h);
    expect(hashEncodedData({ inputIds: [[0, 5, 2]], attentionMask: [[1, 1, 0]] })).not.toBe(h);
    expect(() =>
      hashEncodedData({
        inputIds: [
          [0, 5, 2],
          [0, 2],
        ],
        attentionMask: [
          [1, 1, 1],
          [1, 1],
        ],
      }),
    ).toThrow(InputError);
    expect(() => hashEncodedData({ inputIds: [[0, 5, 2]], attentionMask: [[1, 1]] })).toThrow(/attention_mask/);
  });
});

describe('FeatureCache', () => {
  checkTensorLeaks();
  let root: string;
  let backbone: TransformerBackbone;
  let ref: Map<string, tf.Tensor>;
  let data: EncodedData;
  const lines: string[] = [];
  // (3 states x 64 hidden + 1 mask value) x 16 tokens x 4 bytes = 12352 bytes per sequence: 3 sequences per shard
  const options = (sub: string) => ({
    dir: join(root, sub),
    shardBytes: 3 * 12352,
    batchSize: 2,
    quiet: true,
    log: (l: string) => lines.push(l),
  });

  const tempDir = useTempDir('kadapter-features-');
  beforeAll(async () => {
    await useBackend('cpu');
    root = await tempDir();
    backbone = await loadBackbone(tinyFixture());
    ref = await fixtureVectors('core.');
    data = {
      inputIds: tensorOf(ref, 'core.input_ids').arraySync() as number[][],
      attentionMask: tensorOf(ref, 'core.attention_mask').arraySync() as number[][],
    };
  });
  afterAll(async () => {
    backbone.dispose();
    tf.dispose([...ref.values()]);
  });
  afterEach(() => {
    vi.restoreAllMocks();
    lines.length = 0;
  });

  it('computes once, prints the size estimate, and stores taps + last layer in shards', async () => {
    const encode = vi.spyOn(backbone, 'encode');
    const cache = new FeatureCache(options('first'));
    const features = await cache.features(backbone, data, { tokenizer: 'tiny', taps: [2, 0] });
    expect(features.hit).toBe(false);
    expect(encode).toHaveBeenCalledTimes(2 + 1); // shard 1: rows 0-1, 2; shard 2: row 3
    expect(features.shardCount).toBe(2);
    expect(features.manifest.stored).toEqual([0, 2, 4]);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /feature cache: writing ~[\d.]+ KiB \(4 sequences x 16 tokens x 3 hidden states of 64 float32\)/,
    );

    const shards = [await features.readShard(0), await features.readShard(1)];
    expect(shards[0]!.last.shape).toEqual([3, 16, 64]);
    expect(shards[1]!.last.shape).toEqual([1, 16, 64]);
    const cat = (f: (s: (typeof shards)[number]) => tf.Tensor) => tf.concat(shards.map(f));
    tf.tidy(() => {
      expectClose(
        cat((s) => s.hiddenStates[0]!),
        tensorOf(ref, 'core.hidden_states.0'),
        'cached hidden_states.0',
        PARITY,
      );
      expectClose(
        cat((s) => s.hiddenStates[2]!),
        tensorOf(ref, 'core.hidden_states.2'),
        'cached hidden_states.2',
        PARITY,
      );
      expectClose(
        cat((s) => s.last),
        tensorOf(ref, 'core.hidden_states.4'),
        'cached last',
        PARITY,
      );
      expectClose(
        cat((s) => s.mask),
        tensorOf(ref, 'core.attention_mask'),
        'cached mask',
        EXACT,
      );
    });
    expect(shards[0]!.hiddenStates[1]).toBeUndefined();
    expect(shards[0]!.hiddenStates[3]).toBeUndefined();
    tf.dispose(shards.flatMap((s) => [...s.hiddenStates, s.last, s.mask]));

    // the estimate (printed before writing) covers what was written, within 10 %
    let bytes = 0;
    for (const f of await readdir(features.dir)) bytes += (await stat(join(features.dir, f))).size;
    const estimate = Number(/~([\d.]+) KiB/.exec(lines[0]!)![1]) * 2 ** 10;
    expect(bytes).toBeGreaterThan(4 * 12352);
    expect(estimate).toBeGreaterThanOrEqual(bytes);
    expect(estimate).toBeLessThanOrEqual(1.1 * bytes);
  });

  it('a second request with the same parts reads the cache without running the backbone', async () => {
    const cache = new FeatureCache(options('hit'));
    const first = await cache.features(backbone, data, { tokenizer: 'tiny', taps: [0, 2] });
    const encode = vi.spyOn(backbone, 'encode');
    const again = await new FeatureCache(options('hit')).features(backbone, data, {
      tokenizer: 'tiny',
      taps: [2, 0, 2],
    });
    expect(again.hit).toBe(true);
    expect(again.key).toBe(first.key);
    expect(encode).not.toHaveBeenCalled();
    expect(lines).toHaveLength(1); // only the first call printed an estimate
  });

  it('another tokenizer, other taps or other data is another entry', async () => {
    const cache = new FeatureCache(options('keys'));
    const base = await cache.features(backbone, data, { tokenizer: 'tiny', taps: [0, 2] });
    const encode = vi.spyOn(backbone, 'encode');
    const keys = new Set([base.key]);
    for (const [d, req] of [
      [data, { tokenizer: 'other', taps: [0, 2] }],
      [data, { tokenizer: 'tiny', taps: [0, 3] }],
      [
        { ...data, inputIds: data.inputIds.map((r, i) => (i === 0 ? [...r.slice(0, -1), 5] : r)) },
        { tokenizer: 'tiny', taps: [0, 2] },
      ],
    ] as const) {
      const f = await cache.features(backbone, d, req);
      expect(f.hit).toBe(false);
      keys.add(f.key);
    }
    expect(keys.size).toBe(4);
    expect(encode).toHaveBeenCalledTimes(3 * 3);
  });

  it('refuses with a BudgetError naming the numbers when the disk budget would be exceeded', async () => {
    const err = (await errorOf(() =>
      new FeatureCache({ ...options('budget'), budgetBytes: 20_000 }).features(backbone, data, {
        tokenizer: 'tiny',
        taps: [0],
      }),
    )) as BudgetError;
    expect(err).toBeInstanceOf(BudgetError);
    expect(err.message).toMatch(/would exceed the disk budget of 19\.5 KiB \(20000 bytes\)/);
    expect(err.message).toMatch(/0\.0 KiB \(0 bytes\) already used/);
    expect(err.location).toMatchObject({ file: join(root, 'budget'), field: 'budgetBytes' });
    expect(existsSync(join(root, 'budget')) ? await readdir(join(root, 'budget')) : []).toEqual([]);
    expect(lines[0]).toMatch(/feature cache: writing ~/); // the estimate came first
  });

  it('leaves nothing behind when computing fails half-way', async () => {
    const dir = join(root, 'failing');
    const real = backbone.encode.bind(backbone);
    let calls = 0;
    vi.spyOn(backbone, 'encode').mockImplementation((input, opts) => {
      if (++calls === 2) throw new Error('simulated failure');
      return real(input, opts);
    });
    await expect(
      new FeatureCache(options('failing')).features(backbone, data, { tokenizer: 'tiny', taps: [0] }),
    ).rejects.toThrow('simulated failure');
    expect(await readdir(dir)).toEqual([]);
  });

  it('refuses an unfrozen backbone', async () => {
    const trainable = await loadBackbone(tinyFixture(), { trainable: true });
    const err = await errorOf(() =>
      new FeatureCache(options('unfrozen')).features(trainable, data, { tokenizer: 'tiny', taps: [0] }),
    );
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.message).toContain('frozen');
    trainable.dispose();
  });
});
