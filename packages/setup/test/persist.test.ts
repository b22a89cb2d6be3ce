import { copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { loadBackbone, randomBackbone } from '@kadapter/backbone';
import { isKAdapterError } from '@kadapter/core';
import type { BackboneInput } from '@kadapter/nn';
import { checkLabels } from '@kadapter/heads';
import {
  checkTensorLeaks,
  EXACT,
  expectClose,
  expectError,
  PARITY,
  TINY_BACKBONE_INFO,
  tinyFixture,
  useBackend,
  useTempDir,
} from '@kadapter/test-utils';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KAdapterStack } from '@kadapter/adapter';
import { fixtureVectors, tensorOf } from '@kadapter/test-fixtures';
import { KAdapterSetup, loadSetup, saveSetup } from '../src/index.js';
import { expectSameRcLogits, OPENENTITY_LABELS, tinySetup } from './fixture.js';

describe('setup directories', () => {
  checkTensorLeaks();
  let root: string;
  let dir: string;
  let setup: KAdapterSetup;
  let v: Map<string, tf.Tensor>;
  const tempDir = useTempDir('kadapter-setup-');
  beforeAll(async () => {
    await useBackend('wasm');
    root = await tempDir();
    dir = join(root, 'tiny-setup');
    setup = await tinySetup();
    v = await fixtureVectors('core.', 'openentity.');
    await saveSetup(dir, setup, { backboneSource: tinyFixture() });
  });
  afterAll(async () => {
    setup.dispose();
    for (const t of v.values()) t.dispose();
  });

  const oe = (): BackboneInput => ({
    inputIds: tensorOf(v, 'openentity.input_ids') as tf.Tensor2D,
    attentionMask: tensorOf(v, 'openentity.input_mask') as tf.Tensor2D,
  });

  it('writes setup.json with the backbone reference, adapter dirs, fusion and heads', async () => {
    const meta = JSON.parse(await readFile(join(dir, 'setup.json'), 'utf8'));
    expect(meta).toMatchObject({
      schemaVersion: 1,
      backbone: { source: relative(dir, tinyFixture()), ...TINY_BACKBONE_INFO, positionIds: 'legacy' },
      adapters: { fac: 'adapters/fac', lin: 'adapters/lin' },
      fusion: { config: { kind: 'concat', adapters: ['fac', 'lin'], hiddenSize: 64 }, weights: 'fusion.safetensors' },
      heads: { et: { config: { kind: 'entity-typing', labels: OPENENTITY_LABELS }, weights: 'heads/et.safetensors' } },
    });
    expect(meta.backbone.contentHash).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(meta.backbone.revision).toBeUndefined(); // not from the Hub
    const adapterMeta = JSON.parse(await readFile(join(dir, 'adapters', 'fac', 'adapter_config.json'), 'utf8'));
    expect(adapterMeta.pretraining).toEqual({ task: 'fac', headWeights: false });
  });

  it('reloading reproduces identical logits for every head', async () => {
    const back = await loadSetup(dir);
    expectSameRcLogits(back, setup, v);
    const et = back.logits('et', oe(), { marker: tensorOf(v, 'openentity.start_index') });
    const etBefore = setup.logits('et', oe(), { marker: tensorOf(v, 'openentity.start_index') });
    expectClose(et, etBefore, 'et', EXACT);
    expectClose(et, tensorOf(v, 'openentity.et.logits'), 'et vs fixture', PARITY);
    tf.dispose([et, etBefore]);
    checkLabels(back.head('et').labels ?? [], OPENENTITY_LABELS, 'et');
    expect(back.trainableVariables()).toHaveLength(0);
    back.dispose();
    const trainable = await loadSetup(dir, { trainable: true });
    expect(trainable.trainableVariables().length).toBe(2 * 108 + 6 + 4 + 4 + 2);
    trainable.dispose();
  });

  /** Copies the setup, lets `damage` break the copy, and returns the load error. */
  async function loadBroken(name: string, damage: (d: string) => Promise<void>): Promise<Error> {
    const d = join(root, name);
    await saveSetup(d, setup, { backboneSource: tinyFixture() });
    await damage(d);
    return loadSetup(d).then(
      () => Promise.reject(new Error('expected a rejection')),
      (err: Error) => err,
    );
  }

  const editMeta = (edit: (m: Record<string, unknown>) => void) => async (d: string) => {
    const m = JSON.parse(await readFile(join(d, 'setup.json'), 'utf8'));
    edit(m);
    await writeFile(join(d, 'setup.json'), JSON.stringify(m));
  };

  it('reloads from a backbone source whose directory has another name, keeping the recorded name', async () => {
    const copy = join(root, 'weights-copy');
    await mkdir(copy);
    for (const f of ['config.json', 'model.safetensors']) await copyFile(tinyFixture(f), join(copy, f));
    const moved = join(root, 'moved-setup');
    await saveSetup(moved, setup, { backboneSource: copy });
    const back = await loadSetup(moved);
    try {
      expect(back.backbone.info.name).toBe('kadapter-tiny');
    } finally {
      back.dispose();
    }
  });

  it('refuses an incomplete setup, naming the missing part', async () => {
    for (const part of ['backbone', 'adapters', 'fusion', 'heads']) {
      const err = await loadBroken(
        `no-${part}`,
        editMeta((m) => delete m[part]),
      );
      expect(isKAdapterError(err, 'E_FORMAT'), String(err)).toBe(true);
      expect(err.message).toContain(`field '${part}': the setup is incomplete: it has no ${part}`);
    }
    let err = await loadBroken('no-fusion-file', (d) => rm(join(d, 'fusion.safetensors')));
    expect(isKAdapterError(err, 'E_NOT_FOUND')).toBe(true);
    expect(err.message).toMatch(/field 'fusion': the setup is incomplete: fusion \(fusion.safetensors\) is missing/);
    err = await loadBroken('no-lin', (d) => rm(join(d, 'adapters', 'lin'), { recursive: true }));
    expect(err.message).toMatch(
      /field 'adapters.lin': the setup is incomplete: adapters.lin \(adapters\/lin\/adapter_config.json\) is missing/,
    );
    err = await loadBroken('no-head', (d) => rm(join(d, 'heads', 'mc.safetensors')));
    expect(err.message).toMatch(/field 'heads.mc'/);
    err = await loadBroken(
      'empty-heads',
      editMeta((m) => (m.heads = {})),
    );
    expect(err.message).toMatch(/field 'heads': the setup is incomplete: it has no heads/);
  });

  it('refuses a fusion that does not match the adapters, and paths outside the setup', async () => {
    let err = await loadBroken(
      'fusion-mismatch',
      editMeta((m) => {
        (m.fusion as { config: { adapters: string[] } }).config.adapters = ['fac'];
      }),
    );
    expect(err.message).toMatch(
      /fusion.safetensors: weights do not match the module \(unexpected 4: task_dense.bias, task_dense.weight, task_dense_lin.bias, task_dense_lin.weight\)/,
    );
    err = await loadBroken(
      'escape',
      editMeta((m) => {
        (m.adapters as Record<string, string>).fac = '../elsewhere';
      }),
    );
    expect(err.message).toMatch(/field 'adapters.fac': must be a path inside the setup directory/);
  });

  it('a composition whose fusion is built for other adapters is refused', () => {
    expect(
      () => new KAdapterSetup({ ...setup, adapters: new Map([['fac', setup.adapters.get('fac') as KAdapterStack]]) }),
    ).toThrow(/the fusion is built for adapters \[fac, lin\], the setup has \[fac\]/);
  });

  it('refuses another backbone, saying what differs', async () => {
    const err = await loadBroken(
      'other-weights',
      editMeta((m) => ((m.backbone as { contentHash: string }).contentHash = `sha256:${'0'.repeat(64)}`)),
    );
    expect(isKAdapterError(err, 'E_CONFIG')).toBe(true);
    expect(err.message).toMatch(
      /field 'backbone': the backbone is not the one the setup was saved with: weights \(SHA-256\): setup sha256:0{64}, backbone sha256:[0-9a-f]{64}/,
    );
    const tiny = await loadBackbone(tinyFixture());
    const other = randomBackbone(
      {
        ...(tiny as unknown as { config: Parameters<typeof randomBackbone>[0] }).config,
        hiddenSize: 32,
        numAttentionHeads: 4,
      },
      { seed: 1 },
    );
    tiny.dispose();
    await expect(loadSetup(dir, { backbone: other })).rejects.toThrow(
      /the backbone is not the one the setup was saved with: hidden size: setup 64, backbone 32$/,
    );
    // a backbone passed in stays the caller's: still usable after the refusal
    const shape = tf.tidy(() => {
      const ids = tf.tensor2d([[0, 5, 2]], undefined, 'int32');
      return other.encode({ inputIds: ids, attentionMask: tf.onesLike(ids) }).last.shape;
    });
    expect(shape).toEqual([1, 3, 32]);
    other.dispose();
  });

  it('refuses a backbone numbering positions differently from the saved setup, and an unknown mode', async () => {
    const hf = await loadBackbone(tinyFixture(), { positionIds: 'hf' });
    try {
      await expectError(loadSetup(dir, { backbone: hf }), 'E_CONFIG', "position ids: setup 'legacy', backbone 'hf'");
    } finally {
      hf.dispose();
    }
    const err = await loadBroken(
      'bad-position-ids',
      editMeta((m) => ((m.backbone as { positionIds: string }).positionIds = 'hf-legacy')),
    );
    expect(isKAdapterError(err, 'E_FORMAT'), String(err)).toBe(true);
    expect(err.message).toMatch(/backbone\.positionIds/);
  });
});
