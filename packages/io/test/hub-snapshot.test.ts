import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { FakeHub, HUB_COMMIT, useTempDir, withEnv } from '@kadapter/test-utils';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { hubModelSnapshot, hubSnapshot, resolveModelSource } from '../src/index.js';

const tempDir = useTempDir('kadapter-io-test-');
let root = '';
beforeAll(async () => {
  root = await tempDir();
});
const hub = new FakeHub();
const CONFIG = Buffer.from('{"model_type": "roberta"}');
const SHARD = (n: number) => Buffer.from(`shard ${n}`);
const INDEX = Buffer.from(
  JSON.stringify({
    weight_map: { a: 'model-00001-of-00002.bin', b: 'model-00002-of-00002.bin', c: 'model-00001-of-00002.bin' },
  }),
);

let n = 0;
const client = () => ({ cacheDir: join(root, `cache-${n++}`), endpoint: hub.url, progress: false, offline: false });

beforeAll(async () => {
  await hub.start();
  hub.add('org/bin', 'main', 'config.json', { body: CONFIG });
  hub.add('org/bin', 'main', 'pytorch_model.bin', { body: Buffer.from('weights'), lfs: true });
  hub.add('org/bin', 'main', 'vocab.json', { body: Buffer.from('{}') });
  hub.add('org/sharded', 'main', 'config.json', { body: CONFIG });
  hub.add('org/sharded', 'main', 'pytorch_model.bin.index.json', { body: INDEX });
  hub.add('org/sharded', 'main', 'model-00001-of-00002.bin', { body: SHARD(1), lfs: true });
  hub.add('org/sharded', 'main', 'model-00002-of-00002.bin', { body: SHARD(2), lfs: true });
  hub.add('org/adapter', 'main', 'adapter_config.json', { body: CONFIG });
  hub.add('org/adapter', 'main', 'adapter.safetensors', { body: SHARD(3), lfs: true });
});
afterAll(() => hub.stop());
afterEach(() => {
  hub.requests.length = 0;
});

describe('hubModelSnapshot', () => {
  it('fetches config.json, the first weights file the repo has and its tokenizer files, all at one commit', async () => {
    const options = client();
    const snap = await hubModelSnapshot('org/bin', options);
    expect(snap).toEqual({
      repo: 'org/bin',
      revision: 'main',
      commit: HUB_COMMIT,
      dir: join(options.cacheDir, 'models--org--bin', 'snapshots', HUB_COMMIT),
      files: ['config.json', 'pytorch_model.bin', 'vocab.json'],
    });
    // every file after config.json is asked for at the commit main resolved to
    const heads = hub.requests.filter((r) => r.method === 'HEAD').map((r) => r.path);
    expect(heads[0]).toBe('/org/bin/resolve/main/config.json');
    expect(heads.slice(1).every((p) => p.startsWith(`/org/bin/resolve/${HUB_COMMIT}/`))).toBe(true);

    // again: one HEAD for the branch; what the commit lacks is known from .no_exist
    hub.requests.length = 0;
    await hubModelSnapshot('org/bin', options);
    expect(hub.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['HEAD /org/bin/resolve/main/config.json']);
  });

  it('fetches every shard of a sharded checkpoint, and the snapshot opens as a model directory', async () => {
    const snap = await hubModelSnapshot('org/sharded', client());
    expect(snap.files).toEqual([
      'config.json',
      'pytorch_model.bin.index.json',
      'model-00001-of-00002.bin',
      'model-00002-of-00002.bin',
    ]);
  });

  it('offline without weights in the cache: a NotFoundError listing the weights files looked for', async () => {
    const options = client();
    await hubSnapshot('org/bin', { required: ['config.json'] }, options);
    await expect(hubModelSnapshot('org/bin', { ...options, offline: true })).rejects.toMatchObject({
      code: 'E_NOT_FOUND',
      message: expect.stringContaining(
        `the Hugging Face cache has none of model.safetensors, model.safetensors.index.json, pytorch_model.bin, pytorch_model.bin.index.json for org/bin@main (${HUB_COMMIT})`,
      ),
    });
  });
});

describe('hubSnapshot', () => {
  it('fetches the required files and the optional ones the repo has', async () => {
    const snap = await hubSnapshot(
      'org/adapter',
      {
        required: ['adapter_config.json', 'adapter.safetensors'],
        optional: ['pretraining_head.safetensors', 'README.md'],
      },
      client(),
    );
    expect(snap.files).toEqual(['adapter_config.json', 'adapter.safetensors']);
  });
});

describe('resolveModelSource', () => {
  it('takes an existing directory as it is, and a cache snapshot directory with its repo and commit', async () => {
    const plain = join(root, 'plain', 'org', 'bin');
    await mkdir(plain, { recursive: true });
    expect(await resolveModelSource(plain)).toEqual({ dir: plain });
    const options = client();
    const snap = await hubModelSnapshot('org/bin', options);
    expect(await resolveModelSource(snap.dir)).toEqual({ dir: snap.dir, hubId: 'org/bin', revision: HUB_COMMIT });
  });

  it('fetches an owner/name id that is not a directory here', async () => {
    const options = client();
    expect(await resolveModelSource('org/bin', options)).toEqual({
      dir: join(options.cacheDir, 'models--org--bin', 'snapshots', HUB_COMMIT),
      hubId: 'org/bin',
      revision: HUB_COMMIT,
    });
  });

  it('refuses what is neither, and says there is no such directory when the Hub has no such repo', async () => {
    await expect(resolveModelSource('./no/such/dir')).rejects.toMatchObject({
      code: 'E_NOT_FOUND',
      message: expect.stringContaining("'./no/such/dir' is neither a model directory nor a Hub repo id"),
    });
    await withEnv({ HF_HUB_OFFLINE: '1' }, () =>
      expect(resolveModelSource('org/absent', { cacheDir: join(root, 'empty') })).rejects.toMatchObject({
        code: 'E_NOT_FOUND',
        message: expect.stringMatching(
          /there is no directory 'org\/absent' here, and as a Hub repo id: .*offline mode/,
        ),
      }),
    );
  });
});
