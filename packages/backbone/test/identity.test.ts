import { createHash } from 'node:crypto';
import { copyFile, mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  checkTensorLeaks,
  expectError,
  FakeHub,
  HUB_COMMIT,
  TINY_BACKBONE_INFO,
  tinyFixture,
  useBackend,
  useTempDir,
  withEnv,
} from '@kadapter/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBackbone, readBackboneInfo } from '../src/index.js';

const tempDir = useTempDir('kadapter-backbone-identity-');
const COMMIT_A = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';

/** sha256 of a fixture file, hex (computed here with node:crypto, independently of the loader). */
async function fileSha256(path: string): Promise<string> {
  return createHash('sha256')
    .update(await readFile(path))
    .digest('hex');
}

/**
 * A Hugging Face cache as Python's huggingface_hub lays it out: `blobs/<sha256 or git sha1>`,
 * `snapshots/<commit>/<file>` symlinks to the blobs, `refs/main` holding the commit.
 */
async function pythonCache(hubCache: string, repo: string, commit: string, files: string[]): Promise<string> {
  const repoDir = join(hubCache, `models--${repo.replace('/', '--')}`);
  const snapshot = join(repoDir, 'snapshots', commit);
  await mkdir(join(repoDir, 'blobs'), { recursive: true });
  await mkdir(join(repoDir, 'refs'), { recursive: true });
  await mkdir(snapshot, { recursive: true });
  for (const f of files) {
    const sha = await fileSha256(tinyFixture(f));
    await copyFile(tinyFixture(f), join(repoDir, 'blobs', sha));
    await symlink(join('..', '..', 'blobs', sha), join(snapshot, f));
  }
  await writeFile(join(repoDir, 'refs', 'main'), commit);
  return snapshot;
}

describe('backbone identity', () => {
  checkTensorLeaks();
  beforeAll(() => useBackend('cpu'));

  it('a Hugging Face cache snapshot is named after its repo, not after its commit', async () => {
    const snapshot = await pythonCache(join(await tempDir(), 'hub'), 'me/tiny', COMMIT_A, [
      'config.json',
      'model.safetensors',
    ]);
    const info = await readBackboneInfo(snapshot);
    expect(info.name).toBe('me/tiny');
    expect(info.revision).toBe(COMMIT_A);
  });

  it('the content hash is the SHA-256 of the weights, the same in any directory', async () => {
    const sha = await fileSha256(tinyFixture('model.safetensors'));
    const copy = join(await tempDir(), 'model');
    await mkdir(copy);
    for (const f of ['config.json', 'model.safetensors']) await copyFile(tinyFixture(f), join(copy, f));
    const snapshot = await pythonCache(join(await tempDir(), 'hub'), 'me/tiny', COMMIT_A, [
      'config.json',
      'model.safetensors',
    ]);
    const [a, b, c] = await Promise.all([tinyFixture(), copy, snapshot].map((d) => readBackboneInfo(d)));
    expect(a?.contentHash).toBe(`sha256:${sha}`);
    expect(b?.contentHash).toBe(`sha256:${sha}`);
    expect(c?.contentHash).toBe(`sha256:${sha}`);
    expect(a).toMatchObject(TINY_BACKBONE_INFO);
    expect(a?.revision).toBeUndefined(); // a plain directory has no Hub revision
    expect(b?.name).toBe('model'); // the directory name is only a label
  });

  it('takes the name from options.name, else config.json _name_or_path', async () => {
    const d = join(await tempDir(), 'saved');
    await mkdir(d);
    const config = JSON.parse(await readFile(tinyFixture('config.json'), 'utf8'));
    await writeFile(join(d, 'config.json'), JSON.stringify({ ...config, _name_or_path: 'FacebookAI/roberta-tiny' }));
    await copyFile(tinyFixture('model.safetensors'), join(d, 'model.safetensors'));
    expect((await readBackboneInfo(d)).name).toBe('FacebookAI/roberta-tiny');
    expect((await readBackboneInfo(d, { name: 'mine' })).name).toBe('mine');
  });
});

describe('loading a backbone by Hub id through the Hugging Face cache', () => {
  checkTensorLeaks();
  const hub = new FakeHub();
  beforeAll(async () => {
    await useBackend('cpu');
    await hub.start();
    for (const f of ['config.json', 'tokenizer.json', 'vocab.json', 'merges.txt']) {
      hub.add('org/tiny', 'main', f, { body: await readFile(tinyFixture(f)) });
    }
    hub.add('org/tiny', 'main', 'model.safetensors', {
      body: await readFile(tinyFixture('model.safetensors')),
      lfs: true,
    });
  });
  afterAll(() => hub.stop());

  it('downloads into $HF_HOME/hub in the huggingface_hub layout, then loads from it offline', async () => {
    const home = await tempDir();
    const env = { HF_HOME: home, HF_HUB_CACHE: undefined, HF_ENDPOINT: hub.url, HF_HUB_OFFLINE: undefined };
    const online = await withEnv(env, () => loadBackbone('org/tiny'));
    expect(online.info).toMatchObject({ ...TINY_BACKBONE_INFO, name: 'org/tiny', revision: HUB_COMMIT });
    online.dispose();
    const repoDir = join(home, 'hub', 'models--org--tiny');
    expect((await readFile(join(repoDir, 'refs', 'main'), 'utf8')).trim()).toBe(HUB_COMMIT);
    const sha = await fileSha256(tinyFixture('model.safetensors'));
    expect(await fileSha256(join(repoDir, 'blobs', sha))).toBe(sha);
    expect(await fileSha256(join(repoDir, 'snapshots', HUB_COMMIT, 'model.safetensors'))).toBe(sha);

    hub.requests.length = 0;
    const offline = await withEnv({ ...env, HF_HUB_OFFLINE: '1', HF_ENDPOINT: 'http://127.0.0.1:1' }, () =>
      loadBackbone('org/tiny'),
    );
    expect(offline.info).toMatchObject({ name: 'org/tiny', revision: HUB_COMMIT, contentHash: `sha256:${sha}` });
    offline.dispose();
    expect(hub.requests).toEqual([]);
  });

  it('HF_HUB_OFFLINE=1 reads a cache written by Python huggingface_hub under HF_HUB_CACHE', async () => {
    const cache = join(await tempDir(), 'elsewhere');
    await pythonCache(cache, 'FacebookAI/roberta-tiny', COMMIT_A, ['config.json', 'model.safetensors']);
    const b = await withEnv({ HF_HUB_CACHE: cache, HF_HUB_OFFLINE: '1' }, () =>
      loadBackbone('FacebookAI/roberta-tiny'),
    );
    expect(b.info).toMatchObject({ name: 'FacebookAI/roberta-tiny', revision: COMMIT_A });
    b.dispose();
  });

  it('HF_HUB_OFFLINE=1 with nothing cached is a NotFoundError naming the repo, revision and file', async () => {
    const cache = join(await tempDir(), 'empty');
    await withEnv({ HF_HUB_CACHE: cache, HF_HUB_OFFLINE: '1' }, () =>
      expectError(loadBackbone('org/tiny'), 'E_NOT_FOUND', 'org/tiny', 'main', 'config.json', 'HF_HUB_OFFLINE'),
    );
    await pythonCache(cache, 'org/tiny', COMMIT_A, ['config.json']);
    await withEnv({ HF_HUB_CACHE: cache, HF_HUB_OFFLINE: '1' }, () =>
      expectError(loadBackbone('org/tiny'), 'E_NOT_FOUND', `org/tiny@main (${COMMIT_A})`, 'model.safetensors'),
    );
  });
});
