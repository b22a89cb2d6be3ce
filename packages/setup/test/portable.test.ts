import { copyFile, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadBackbone } from '@kadapter/backbone';
import { fixtureVectors } from '@kadapter/test-fixtures';
import {
  checkTensorLeaks,
  expectError,
  FakeHub,
  HUB_COMMIT,
  tinyFixture,
  useBackend,
  useTempDir,
  withEnv,
} from '@kadapter/test-utils';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KAdapterSetup, loadSetup, saveSetup } from '../src/index.js';
import { expectSameRcLogits, tinySetup } from './fixture.js';

const tempDir = useTempDir('kadapter-setup-portable-');

describe('where a setup finds its backbone', () => {
  checkTensorLeaks();
  let setup: KAdapterSetup;
  let v: Map<string, tf.Tensor>;
  const hub = new FakeHub();

  beforeAll(async () => {
    await useBackend('cpu');
    setup = await tinySetup();
    v = await fixtureVectors('core.');
    await hub.start();
    for (const f of ['config.json', 'model.safetensors']) {
      hub.add('org/tiny', 'main', f, { body: await readFile(tinyFixture(f)), lfs: f.endsWith('.safetensors') });
    }
  });
  afterAll(async () => {
    setup.dispose();
    tf.dispose([...v.values()]);
    await hub.stop();
  });

  /** The reloaded setup gives the same rc logits as the one saved. */
  const expectSameLogits = (back: KAdapterSetup) => expectSameRcLogits(back, setup, v);

  it('records a local backbone relative to the setup directory, so both can move together', async () => {
    const run = join(await tempDir(), 'run');
    const model = join(run, 'model');
    await mkdir(model, { recursive: true });
    for (const f of ['config.json', 'model.safetensors']) await copyFile(tinyFixture(f), join(model, f));
    await saveSetup(join(run, 'setups', 'a'), setup, { backboneSource: model });
    const meta = JSON.parse(await readFile(join(run, 'setups', 'a', 'setup.json'), 'utf8'));
    expect(meta.backbone.source).toBe(join('..', '..', 'model'));

    const moved = join(await tempDir(), 'moved-run');
    await rename(run, moved);
    const back = await loadSetup(join(moved, 'setups', 'a'));
    try {
      expectSameLogits(back);
    } finally {
      back.dispose();
    }
  });

  it('records a Hub backbone as its id and commit, and reloads it from the cache anywhere', async () => {
    const home = await tempDir();
    const env = { HF_HOME: home, HF_HUB_CACHE: undefined, HF_ENDPOINT: hub.url, HF_HUB_OFFLINE: undefined };
    const hubBackbone = await withEnv(env, () => loadBackbone('org/tiny'));
    const saved = join(await tempDir(), 'setup');
    const { adapters, fusion, heads, pretraining } = setup;
    // the parts stay the tiny setup's (disposed with it); only the backbone is this test's
    await saveSetup(saved, new KAdapterSetup({ backbone: hubBackbone, adapters, fusion, heads, pretraining }), {
      backboneSource: 'org/tiny',
    });
    hubBackbone.dispose();
    const meta = JSON.parse(await readFile(join(saved, 'setup.json'), 'utf8'));
    expect(meta.backbone).toMatchObject({ source: 'org/tiny', hubId: 'org/tiny', revision: HUB_COMMIT });

    const moved = join(await tempDir(), 'elsewhere');
    await rename(saved, moved);
    hub.requests.length = 0;
    const back = await withEnv({ ...env, HF_HUB_OFFLINE: '1' }, () => loadSetup(moved));
    try {
      expect(back.backbone.info).toMatchObject({ name: 'org/tiny', revision: HUB_COMMIT });
      expectSameLogits(back);
    } finally {
      back.dispose();
    }
    expect(hub.requests).toEqual([]);
  });

  it('reads a setup.json written before (absolute source, name + content revision) and refuses other weights', async () => {
    const dir = join(await tempDir(), 'old');
    await saveSetup(dir, setup, { backboneSource: tinyFixture() });
    const file = join(dir, 'setup.json');
    const meta = JSON.parse(await readFile(file, 'utf8'));
    const { contentHash, modelType: _m, numHeads: _h, vocabSize: _v, maxPositions: _p, ...rest } = meta.backbone;
    expect(contentHash).toMatch(/^sha256:[0-9a-f]{64}$/);
    const old = { ...rest, source: tinyFixture(), name: 'kadapter-tiny', revision: contentHash.slice(0, 23) };
    await writeFile(file, JSON.stringify({ ...meta, backbone: old }));
    const back = await loadSetup(dir);
    back.dispose();
    await writeFile(file, JSON.stringify({ ...meta, backbone: { ...old, revision: 'sha256:0000000000000000' } }));
    await expectError(loadSetup(dir), 'E_CONFIG', 'weights (SHA-256): setup sha256:0000000000000000');
  });

  it('a backbone with another name but the same weights is accepted without a word; no source for a local backbone is an error', async () => {
    const dir = join(await tempDir(), 'named');
    await saveSetup(dir, setup, { backboneSource: tinyFixture() });
    const renamed = await loadBackbone(tinyFixture(), { name: 'something-else' });
    const notices: string[] = [];
    const back = await loadSetup(dir, { backbone: renamed, log: (l) => notices.push(l) });
    back.dispose();
    expect(notices).toEqual([]);
    await expectError(saveSetup(join(dir, 'x'), setup), 'E_CONFIG', 'backboneSource is needed');
  });
});
