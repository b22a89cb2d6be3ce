import { existsSync } from 'node:fs';
import { lstat, readdir, readFile, readlink, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { FakeHub, HUB_COMMIT as COMMIT, sha256Hex as sha256, useTempDir, withEnv } from '@kadapter/test-utils';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type HubDownloadOptions, hubCacheDir, hubDownload, openModelDir } from '../src/index.js';

const tempDir = useTempDir('kadapter-io-test-');
let root = '';
beforeAll(async () => {
  root = await tempDir();
});
const hub = new FakeHub();

/** Deterministic pseudo-random bytes (so a cut in the middle is detectable). */
function blob(n: number, seed: number): Buffer {
  const out = Buffer.alloc(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

const CONFIG = Buffer.from(JSON.stringify({ model_type: 'roberta', hidden_size: 64 }));
const WEIGHTS = blob(300_000, 1);
const OTHER = blob(50_000, 2);
const COMMIT2 = 'fedcba9876543210fedcba9876543210fedcba98';

let cacheN = 0;
/** A fresh cache directory per test. */
function freshCache(): string {
  return join(root, `cache-${cacheN++}`);
}

/** The repo folder of org/model in a cache. */
const repoDir = (cache: string, repo = 'org/model') => join(cache, `models--${repo.replace('/', '--')}`);

/** Resolves once a partial download under `cacheDir` holds `bytes` bytes (polls; gives up after 10 s). */
async function partialHas(cacheDir: string, bytes: number): Promise<void> {
  const dir = join(repoDir(cacheDir), 'blobs');
  for (let waited = 0; waited < 10_000; waited += 10) {
    const sizes = existsSync(dir)
      ? await Promise.all(
          (await readdir(dir))
            .filter((f) => f.endsWith('.incomplete'))
            .map(async (f) => (await stat(join(dir, f))).size),
        )
      : [];
    if (sizes.some((s) => s >= bytes)) return;
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Partial downloads left in a cache's blobs folder. */
async function partials(cache: string): Promise<string[]> {
  const dir = join(repoDir(cache), 'blobs');
  return existsSync(dir) ? (await readdir(dir)).filter((f) => f.endsWith('.incomplete')) : [];
}

function opts(cacheDir: string, file: string, extra: Partial<HubDownloadOptions> = {}): HubDownloadOptions {
  return { repo: 'org/model', file, cacheDir, endpoint: hub.url, progress: false, offline: false, ...extra };
}

beforeAll(async () => {
  await hub.start();
  hub.add('org/model', 'main', 'config.json', { body: CONFIG });
  hub.add('org/model', 'main', 'model.safetensors', { body: WEIGHTS, lfs: true });
  hub.add('org/model', 'main', 'onnx/other.bin', { body: OTHER, lfs: true });
  hub.add('org/model', 'v1', 'lying.bin', { body: OTHER, lfs: true, etag: sha256(Buffer.from('something else')) });
  hub.add('org/model', 'refs/pr/1', 'config.json', { body: CONFIG });
});
afterAll(() => hub.stop());
afterEach(() => {
  hub.requests.length = 0;
  hub.cutAfter = undefined;
  hub.beforeCut = undefined;
  hub.ignoreRange = false;
});

describe('hubDownload against a local HTTP server, into the Hugging Face cache layout', () => {
  it('downloads a regular file to blobs/<etag>, links it from snapshots/<commit>/ and records refs/main', async () => {
    const cache = freshCache();
    const got = await hubDownload(opts(cache, 'config.json'));
    const gitSha = (await import('node:crypto'))
      .createHash('sha1')
      .update(`blob ${CONFIG.byteLength}\0`)
      .update(CONFIG)
      .digest('hex');
    expect(got).toEqual({
      path: join(repoDir(cache), 'snapshots', COMMIT, 'config.json'),
      repo: 'org/model',
      revision: 'main',
      file: 'config.json',
      commit: COMMIT,
      etag: gitSha,
      size: CONFIG.byteLength,
      fromCache: false,
    });
    expect((await readFile(got.path)).equals(CONFIG)).toBe(true);
    expect(await readlink(got.path)).toBe(join('..', '..', 'blobs', gitSha));
    expect(await readFile(join(repoDir(cache), 'refs', 'main'), 'utf8')).toBe(COMMIT);
    expect(hub.requests.map((r) => `${r.server} ${r.method} ${r.path}`)).toEqual([
      'hub HEAD /org/model/resolve/main/config.json',
      'hub GET /org/model/resolve/main/config.json',
    ]);
  });

  it('follows the LFS redirect to the CDN, verifies the sha256 and never sends the token there', async () => {
    const cache = freshCache();
    const got = await hubDownload(opts(cache, 'model.safetensors', { token: 'secret' }));
    expect((await readFile(got.path)).equals(WEIGHTS)).toBe(true);
    expect(got.etag).toBe(sha256(WEIGHTS));
    expect((await readFile(join(repoDir(cache), 'blobs', sha256(WEIGHTS)))).equals(WEIGHTS)).toBe(true);
    const hubReqs = hub.requests.filter((r) => r.server === 'hub');
    const cdnReqs = hub.requests.filter((r) => r.server === 'cdn');
    expect(hubReqs.length).toBeGreaterThan(0);
    expect(hubReqs.every((r) => r.authorization === 'Bearer secret')).toBe(true);
    expect(cdnReqs.map((r) => r.method)).toEqual(['GET']);
    expect(cdnReqs.every((r) => r.authorization === undefined)).toBe(true);
  });

  it('serves an up-to-date cached file after one HEAD request, and nested paths work', async () => {
    const cache = freshCache();
    await hubDownload(opts(cache, 'onnx/other.bin'));
    hub.requests.length = 0;
    const again = await hubDownload(opts(cache, 'onnx/other.bin'));
    expect(again).toMatchObject({ fromCache: true, commit: COMMIT, etag: sha256(OTHER) });
    expect(again.path).toBe(join(repoDir(cache), 'snapshots', COMMIT, 'onnx', 'other.bin'));
    expect(await readlink(again.path)).toBe(join('..', '..', '..', 'blobs', sha256(OTHER)));
    expect(hub.requests.map((r) => r.method)).toEqual(['HEAD']);
  });

  it('asked by commit hash, a cached file needs no request; a file the commit lacks is remembered in .no_exist', async () => {
    const cache = freshCache();
    await hubDownload(opts(cache, 'config.json'));
    hub.requests.length = 0;
    expect(await hubDownload(opts(cache, 'config.json', { revision: COMMIT }))).toMatchObject({ fromCache: true });
    expect(hub.requests).toEqual([]);
    await expect(hubDownload(opts(cache, 'nope.json', { revision: COMMIT }))).rejects.toMatchObject({
      code: 'E_NOT_FOUND',
    });
    expect(existsSync(join(repoDir(cache), '.no_exist', COMMIT, 'nope.json'))).toBe(true);
    hub.requests.length = 0;
    await expect(hubDownload(opts(cache, 'nope.json', { revision: COMMIT }))).rejects.toMatchObject({
      code: 'E_NOT_FOUND',
      message: expect.stringContaining('org/model/nope.json@' + COMMIT + ' does not exist (the cache recorded'),
    });
    expect(hub.requests).toEqual([]);
  });

  it('a new commit on the branch: refs/main moves, an unchanged blob is linked into the new snapshot without a download', async () => {
    const cache = freshCache();
    hub.add('org/moving', 'main', 'config.json', { body: CONFIG });
    hub.add('org/moving', 'main', 'model.safetensors', { body: WEIGHTS, lfs: true });
    await hubDownload(opts(cache, 'model.safetensors', { repo: 'org/moving' }));
    hub.add('org/moving', 'main', 'model.safetensors', { body: WEIGHTS, lfs: true, commit: COMMIT2 });
    hub.requests.length = 0;
    const got = await hubDownload(opts(cache, 'model.safetensors', { repo: 'org/moving' }));
    expect(got).toMatchObject({ commit: COMMIT2, fromCache: false, size: WEIGHTS.byteLength });
    expect(got.path).toBe(join(repoDir(cache, 'org/moving'), 'snapshots', COMMIT2, 'model.safetensors'));
    expect(await readFile(join(repoDir(cache, 'org/moving'), 'refs', 'main'), 'utf8')).toBe(COMMIT2);
    expect(hub.requests.map((r) => `${r.server} ${r.method}`)).toEqual(['hub HEAD']);
    expect(existsSync(join(repoDir(cache, 'org/moving'), 'snapshots', COMMIT, 'model.safetensors'))).toBe(true);
  });

  it('resumes an interrupted download with a Range request (next call)', async () => {
    const cache = freshCache();
    hub.cutAfter = 100_000;
    hub.beforeCut = (n) => partialHas(cache, n);
    await expect(hubDownload(opts(cache, 'model.safetensors', { retries: 0 }))).rejects.toMatchObject({
      code: 'E_NETWORK',
      message: expect.stringContaining('interrupted after 100000 of 300000 bytes'),
    });
    expect(existsSync(join(repoDir(cache), 'snapshots', COMMIT, 'model.safetensors'))).toBe(false);
    expect(await partials(cache)).toEqual([`${sha256(WEIGHTS)}.incomplete`]);
    hub.requests.length = 0;
    const got = await hubDownload(opts(cache, 'model.safetensors'));
    expect((await readFile(got.path)).equals(WEIGHTS)).toBe(true);
    expect(hub.requests.find((r) => r.server === 'cdn')?.range).toBe('bytes=100000-');
    expect(await partials(cache)).toEqual([]);
  });

  it('resumes within the same call when retries are allowed, and reports progress', async () => {
    const cache = freshCache();
    hub.cutAfter = 64_000;
    hub.beforeCut = (n) => partialHas(cache, n);
    const seen: number[] = [];
    const got = await hubDownload(
      opts(cache, 'model.safetensors', {
        onProgress: (p) => {
          expect(p.total).toBe(WEIGHTS.byteLength);
          seen.push(p.downloaded);
        },
      }),
    );
    expect((await readFile(got.path)).equals(WEIGHTS)).toBe(true);
    expect(hub.requests.filter((r) => r.server === 'cdn').map((r) => r.range)).toEqual([undefined, 'bytes=64000-']);
    expect(seen.at(-1)).toBe(WEIGHTS.byteLength);
    expect(seen.every((v, i) => i === 0 || v > (seen[i - 1] as number))).toBe(true);
  });

  it('shows progress through createProgress on stderr (plain lines when not a TTY)', async () => {
    const lines: string[] = [];
    const write = process.stderr.write;
    process.stderr.write = ((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    }) as typeof process.stderr.write;
    try {
      await hubDownload(opts(freshCache(), 'onnx/other.bin', { progress: true }));
    } finally {
      process.stderr.write = write;
    }
    expect(lines.join('')).toMatch(/download org\/model\/onnx\/other\.bin@main: 50000\/50000 B .* done/);
  });

  it('starts over when the server ignores the Range header', async () => {
    const cache = freshCache();
    hub.cutAfter = 10_000;
    await expect(hubDownload(opts(cache, 'model.safetensors', { retries: 0 }))).rejects.toMatchObject({
      code: 'E_NETWORK',
    });
    hub.ignoreRange = true;
    const got = await hubDownload(opts(cache, 'model.safetensors'));
    expect((await readFile(got.path)).equals(WEIGHTS)).toBe(true);
  });

  it('a wrong sha256 etag is a ChecksumError; nothing is left behind', async () => {
    const cache = freshCache();
    const lie = sha256(Buffer.from('something else'));
    await expect(hubDownload(opts(cache, 'lying.bin', { revision: 'v1' }))).rejects.toMatchObject({
      name: 'ChecksumError',
      code: 'E_CHECKSUM',
      message: expect.stringMatching(
        new RegExp(`blobs/${lie}\\.incomplete: sha256 of the downloaded bytes is [0-9a-f]{64}`),
      ),
    });
    expect(existsSync(join(repoDir(cache), 'snapshots', COMMIT, 'lying.bin'))).toBe(false);
    expect(await readdir(join(repoDir(cache), 'blobs'))).toEqual([]);
  });

  it('a missing file is a NotFoundError naming repo, file and revision', async () => {
    await expect(hubDownload(opts(freshCache(), 'nope.json'))).rejects.toMatchObject({
      code: 'E_NOT_FOUND',
      message: expect.stringContaining('org/model/nope.json@main does not exist (HTTP 404'),
    });
  });

  it('follows relative redirects of a renamed repo', async () => {
    const cache = freshCache();
    const got = await hubDownload({ ...opts(cache, 'config.json'), repo: 'old/model' });
    expect((await readFile(got.path)).equals(CONFIG)).toBe(true);
    expect(got.path).toBe(join(repoDir(cache, 'old/model'), 'snapshots', COMMIT, 'config.json'));
  });

  it('records a revision with slashes as nested refs, and sends it as one URL segment', async () => {
    const cache = freshCache();
    await hubDownload(opts(cache, 'config.json', { revision: 'refs/pr/1' }));
    expect(await readFile(join(repoDir(cache), 'refs', 'refs', 'pr', '1'), 'utf8')).toBe(COMMIT);
    expect(hub.requests[0]?.path).toBe('/org/model/resolve/refs%2Fpr%2F1/config.json');
  });

  it('a server that cannot be reached is a NetworkError; a cached copy is then served', async () => {
    const cache = freshCache();
    await hubDownload(opts(cache, 'config.json'));
    const deadEndpoint = 'http://127.0.0.1:1';
    await expect(
      hubDownload({ ...opts(cache, 'other.json'), endpoint: deadEndpoint, retries: 0 }),
    ).rejects.toMatchObject({ code: 'E_NETWORK', message: expect.stringContaining('cannot reach http://127.0.0.1:1') });
    const stale = await hubDownload({ ...opts(cache, 'config.json'), endpoint: deadEndpoint });
    expect(stale).toMatchObject({ fromCache: true, commit: COMMIT });
  });
});

describe('offline mode', () => {
  it('serves cached files without any request and refuses missing ones with a NotFoundError naming repo, revision and file', async () => {
    const cache = freshCache();
    await hubDownload(opts(cache, 'config.json'));
    hub.requests.length = 0;
    const got = await hubDownload(opts(cache, 'config.json', { offline: true }));
    expect(got).toMatchObject({ fromCache: true, commit: COMMIT });
    await expect(hubDownload(opts(cache, 'model.safetensors', { offline: true }))).rejects.toMatchObject({
      name: 'NotFoundError',
      code: 'E_NOT_FOUND',
      message: expect.stringContaining(
        `models--org--model: offline mode is on (HF_HUB_OFFLINE) and the Hugging Face cache has no model.safetensors for org/model@main (${COMMIT}); download it once online`,
      ),
    });
    await expect(hubDownload(opts(cache, 'config.json', { offline: true, revision: 'v9' }))).rejects.toMatchObject({
      message: expect.stringContaining("no config.json for org/model@v9 (it does not know revision 'v9': no refs/v9)"),
    });
    expect(hub.requests).toEqual([]);
  });

  it('is switched on by HF_HUB_OFFLINE=1 (and KADAPTER_OFFLINE=1)', async () => {
    for (const name of ['HF_HUB_OFFLINE', 'KADAPTER_OFFLINE']) {
      const { offline: _, ...online } = opts(freshCache(), 'config.json');
      await withEnv({ HF_HUB_OFFLINE: undefined, KADAPTER_OFFLINE: undefined, [name]: '1' }, () =>
        expect(hubDownload(online)).rejects.toMatchObject({ code: 'E_NOT_FOUND' }),
      );
    }
    expect(hub.requests).toEqual([]);
  });
});

describe('where the cache is', () => {
  it('follows huggingface_hub: HF_HUB_CACHE, HUGGINGFACE_HUB_CACHE, HF_HOME/hub, XDG_CACHE_HOME, ~/.cache', () => {
    expect(hubCacheDir({ HF_HUB_CACHE: '/a', HUGGINGFACE_HUB_CACHE: '/b', HF_HOME: '/c' })).toBe('/a');
    expect(hubCacheDir({ HUGGINGFACE_HUB_CACHE: '/b', HF_HOME: '/c' })).toBe('/b');
    expect(hubCacheDir({ HF_HOME: '/c', XDG_CACHE_HOME: '/x' })).toBe(join('/c', 'hub'));
    expect(hubCacheDir({ XDG_CACHE_HOME: '/x' })).toBe(join('/x', 'huggingface', 'hub'));
    expect(hubCacheDir({})).toBe(join(homedir(), '.cache', 'huggingface', 'hub'));
    expect(hubCacheDir({ HF_HOME: '~/hf' })).toBe(join(homedir(), 'hf', 'hub'));
  });

  it('hubDownload uses it by default', async () => {
    const home = join(root, 'hf-home');
    const got = await withEnv({ HF_HOME: home, HF_HUB_CACHE: undefined, HF_ENDPOINT: hub.url }, () =>
      hubDownload({ repo: 'org/model', file: 'config.json', progress: false, offline: false }),
    );
    expect(got.path).toBe(join(home, 'hub', 'models--org--model', 'snapshots', COMMIT, 'config.json'));
    expect((await lstat(got.path)).isSymbolicLink()).toBe(true);
  });
});

describe('paths outside the cache directory', () => {
  const cases: [Partial<HubDownloadOptions>, string][] = [
    [{ file: '../../../etc/passwd' }, 'file'],
    [{ file: '/etc/passwd' }, 'file'],
    [{ file: 'a/../../x' }, 'file'],
    [{ file: 'a\\..\\..\\x' }, 'file'],
    [{ repo: '../evil' }, 'repo'],
    [{ repo: 'org/../../x' }, 'repo'],
    [{ revision: '..' }, 'revision'],
    [{ revision: '../../x' }, 'revision'],
  ];
  for (const [bad, field] of cases) {
    it(`refuses ${JSON.stringify(bad)} with PathError before any request`, async () => {
      const cache = freshCache();
      await expect(hubDownload({ ...opts(cache, 'config.json'), ...bad })).rejects.toMatchObject({
        name: 'PathError',
        code: 'E_PATH',
        message: expect.stringContaining(`field '${field}'`),
      });
      expect(hub.requests).toEqual([]);
      expect(existsSync(cache)).toBe(false);
    });
  }
});

describe('a downloaded repo is a model directory', () => {
  it('openModelDir opens the snapshot and reports its repo and commit', async () => {
    const cache = freshCache();
    hub.add('org/tiny', 'main', 'config.json', { body: CONFIG });
    const st = await readFile(new URL('./fixtures/parameters.p4.expected.safetensors', import.meta.url));
    hub.add('org/tiny', 'main', 'model.safetensors', { body: st, lfs: true });
    const config = await hubDownload({ ...opts(cache, 'config.json'), repo: 'org/tiny' });
    await hubDownload({ ...opts(cache, 'model.safetensors'), repo: 'org/tiny' });
    const m = await openModelDir(join(config.path, '..'));
    try {
      expect(m.revision).toBe(COMMIT);
      expect(m.hubId).toBe('org/tiny');
      expect(m.config.hidden_size).toBe(64);
      expect(m.weights.names.sort()).toEqual(['buf', 'p']);
    } finally {
      await m.weights.close();
    }
  });
});
