import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { backboneRef, KAdapterStack, saveAdapter } from '@kadapter/adapter';
import { loadBackbone } from '@kadapter/backbone';
import { demoData, tinyAdapterConfig } from '@kadapter/demo-data';
import { SafetensorsFile } from '@kadapter/io';
import {
  checkTensorLeaks,
  FakeHub,
  HUB_COMMIT,
  tinyFixture,
  useBackend,
  useTempDir,
  withEnv,
} from '@kadapter/test-utils';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { runCli } from '../src/index.js';
import { capture } from './capture.js';

const tempDir = useTempDir('kadapter-cli-hub-');
const MODEL_FILES = ['config.json', 'model.safetensors', 'tokenizer.json', 'vocab.json', 'merges.txt'];

describe('backbones and adapters by identity, local or from the Hub', () => {
  checkTensorLeaks();
  const hub = new FakeHub();
  let root: string;
  /** an adapter trained the way the demo trains one: on demoData.model, named demoData.modelName */
  let demoAdapter: string;
  let inputJson: string;

  beforeAll(async () => {
    await useBackend('cpu');
    root = await tempDir();
    const backbone = await loadBackbone(demoData.model, { name: demoData.modelName });
    const stack = KAdapterStack.create('factual', tinyAdapterConfig(), 64, { seed: 3 });
    demoAdapter = join(root, 'adapters', 'factual');
    await saveAdapter(demoAdapter, stack, { backbone: backboneRef(backbone.info) });
    stack.dispose();
    backbone.dispose();
    inputJson = join(root, 'ids.json');
    await writeFile(inputJson, JSON.stringify({ input_ids: [[0, 31, 7, 2]], attention_mask: [[1, 1, 1, 1]] }));

    await hub.start();
    for (const f of MODEL_FILES) {
      hub.add('org/tiny', 'main', f, { body: await readFile(tinyFixture(f)), lfs: f.endsWith('.safetensors') });
    }
    for (const f of ['adapter_config.json', 'adapter.safetensors', 'README.md']) {
      hub.add('org/factual', 'main', f, {
        body: await readFile(join(demoAdapter, f)),
        lfs: f.endsWith('.safetensors'),
      });
    }
  });
  afterAll(() => hub.stop());
  afterEach(() => vi.restoreAllMocks());

  it("runs the demo's adapter on the demo's own model directory", async () => {
    const { err } = capture();
    const out = join(root, 'demo-features.safetensors');
    const args = ['features', '--backbone', demoData.model, '--input', inputJson, '--out', out];
    const code = await runCli([...args, '--adapter', `factual=${demoAdapter}`]);
    expect(err.join('')).not.toMatch(/E_CONFIG|trained on/);
    expect(code).toBe(0);
    const st = await SafetensorsFile.open(out);
    expect(st.entries.get('adapter.factual')).toMatchObject({ shape: [1, 4, 64] });
    expect(st.metadata).toMatchObject({ backbone: 'model' });
    await st.close();
  });

  it('--backbone-name sets the label recorded in the features file', async () => {
    capture();
    const out = join(root, 'named.safetensors');
    const args = ['features', '--backbone', demoData.model, '--backbone-name', 'tiny', '--input', inputJson];
    expect(await runCli([...args, '--out', out])).toBe(0);
    const st = await SafetensorsFile.open(out);
    expect(st.metadata).toMatchObject({ backbone: 'tiny' });
    await st.close();
  });

  it('kadapter download <id> fills the Hugging Face cache; features then reads model and adapter by id offline', async () => {
    const home = await tempDir();
    const env = { HF_HOME: home, HF_HUB_CACHE: undefined, HF_ENDPOINT: hub.url, HF_HUB_OFFLINE: undefined };
    const { out } = capture();
    expect(await withEnv(env, () => runCli(['download', 'org/tiny']))).toBe(0);
    expect(await withEnv(env, () => runCli(['download', 'org/factual']))).toBe(0);
    const [model, adapter] = out.map((line) => JSON.parse(line));
    const snapshot = join(home, 'hub', 'models--org--tiny', 'snapshots', HUB_COMMIT);
    expect(model).toMatchObject({ repo: 'org/tiny', revision: 'main', commit: HUB_COMMIT, dir: snapshot });
    expect([...model.files].sort()).toEqual([...MODEL_FILES].sort());
    expect(adapter.files.sort()).toEqual(['README.md', 'adapter.safetensors', 'adapter_config.json']);
    for (const f of MODEL_FILES) expect(existsSync(join(snapshot, f))).toBe(true);

    vi.restoreAllMocks();
    const { out: stdout } = capture();
    hub.requests.length = 0;
    const file = join(root, 'hub-features.safetensors');
    const code = await withEnv({ ...env, HF_HUB_OFFLINE: '1' }, () =>
      runCli([
        'features',
        '--backbone',
        'org/tiny',
        '--text',
        'Big dogs bark .',
        '--adapter',
        'factual=org/factual',
        '--out',
        file,
      ]),
    );
    expect(code).toBe(0);
    expect(JSON.parse(stdout.join(''))).toMatchObject({ sequences: 1, length: 11 }); // as in features.test.ts
    expect(hub.requests).toEqual([]);
    const st = await SafetensorsFile.open(file);
    expect(st.metadata).toMatchObject({ backbone: 'org/tiny', revision: HUB_COMMIT });
    await st.close();
  });

  it('kadapter download of an unknown repo, or offline without a cache, exits 2 naming what is missing', async () => {
    const home = await tempDir();
    const { err } = capture();
    const env = { HF_HOME: home, HF_HUB_CACHE: undefined, HF_ENDPOINT: hub.url, HF_HUB_OFFLINE: undefined };
    expect(await withEnv(env, () => runCli(['download', 'org/nothing']))).toBe(2);
    expect(err.join('')).toMatch(/E_NOT_FOUND: .*org\/nothing.*config\.json/);
    expect(
      await withEnv({ ...env, HF_HUB_OFFLINE: '1' }, () => runCli(['download', 'org/tiny', '--revision', 'v2'])),
    ).toBe(2);
    expect(err.join('')).toMatch(/E_NOT_FOUND: .*org\/tiny@v2.*HF_HUB_OFFLINE/);
  });
});
