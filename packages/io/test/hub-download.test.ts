import { existsSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type HubDownloadOptions, hubDownload, openModelDir } from '../src/index.js';
import { COMMIT, FakeHub, sha256 } from './fake-hub.js';
import { useTmpDir } from './tmp-dir.js';

const tmp = useTmpDir();
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

let cacheN = 0;
/** A fresh cache directory per test. */
function freshCache(): string {
  return tmp.path(`cache-${cacheN++}`);
}

/** Resolves once a partial download under `cacheDir` holds `bytes` bytes (polls; gives up after 10 s). */
async function partialHas(cacheDir: string, bytes: number): Promise<void> {
  const dir = join(cacheDir, 'org--model', 'main', '.kadapter-hub');
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

function opts(cacheDir: string, file: string, extra: Partial<HubDownloadOptions> = {}): HubDownloadOptions {
  return { repo: 'org/model', file, cacheDir, endpoint: hub.url, progress: false, ...extra };
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

describe('hubDownload against a local HTTP server', () => {
  it('downloads a regular file into <cache>/<owner>--<name>/<revision>/<file> with its metadata', async () => {
    const cache = freshCache();
    const got = await hubDownload(opts(cache, 'config.json'));
    expect(got).toMatchObject({
      path: join(cache, 'org--model', 'main', 'config.json'),
      revision: 'main',
      commit: COMMIT,
      size: CONFIG.byteLength,
      fromCache: false,
    });
    expect((await readFile(got.path)).equals(CONFIG)).toBe(true);
    const meta = JSON.parse(
      await readFile(join(cache, 'org--model', 'main', '.kadapter-hub', 'config.json.json'), 'utf8'),
    );
    expect(meta).toMatchObject({ repo: 'org/model', revision: 'main', file: 'config.json', commit: COMMIT });
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
    const meta = JSON.parse(
      await readFile(join(cache, 'org--model', 'main', '.kadapter-hub', 'model.safetensors.json'), 'utf8'),
    );
    expect(meta.sha256).toBe(sha256(WEIGHTS));
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
    expect(again.fromCache).toBe(true);
    expect(again.path).toBe(join(cache, 'org--model', 'main', 'onnx', 'other.bin'));
    expect(hub.requests.map((r) => r.method)).toEqual(['HEAD']);
  });

  it('resumes an interrupted download with a Range request (next call)', async () => {
    const cache = freshCache();
    hub.cutAfter = 100_000;
    hub.beforeCut = (n) => partialHas(cache, n);
    await expect(hubDownload(opts(cache, 'model.safetensors', { retries: 0 }))).rejects.toMatchObject({
      code: 'E_NETWORK',
      message: expect.stringContaining('interrupted after 100000 of 300000 bytes'),
    });
    const revisionDir = join(cache, 'org--model', 'main');
    expect(existsSync(join(revisionDir, 'model.safetensors'))).toBe(false);
    const partials = (await readdir(join(revisionDir, '.kadapter-hub'))).filter((f) => f.endsWith('.incomplete'));
    expect(partials).toHaveLength(1);
    hub.requests.length = 0;
    const got = await hubDownload(opts(cache, 'model.safetensors'));
    expect((await readFile(got.path)).equals(WEIGHTS)).toBe(true);
    expect(hub.requests.find((r) => r.server === 'cdn')?.range).toBe('bytes=100000-');
    expect((await readdir(join(revisionDir, '.kadapter-hub'))).filter((f) => f.endsWith('.incomplete'))).toEqual([]);
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
    await expect(hubDownload(opts(cache, 'lying.bin', { revision: 'v1' }))).rejects.toMatchObject({
      name: 'ChecksumError',
      code: 'E_CHECKSUM',
      message: expect.stringMatching(/org--model\/v1\/lying\.bin: sha256 of the downloaded bytes is [0-9a-f]{64}/),
    });
    const revisionDir = join(cache, 'org--model', 'v1');
    expect(existsSync(join(revisionDir, 'lying.bin'))).toBe(false);
    expect((await readdir(join(revisionDir, '.kadapter-hub'))).filter((f) => f.endsWith('.incomplete'))).toEqual([]);
  });

  it('a missing file is a NotFoundError naming repo, file and revision', async () => {
    await expect(hubDownload(opts(freshCache(), 'nope.json'))).rejects.toMatchObject({
      code: 'E_NOT_FOUND',
      message: expect.stringContaining('org/model/nope.json@main does not exist (HTTP 404'),
    });
  });

  it('follows relative redirects of a renamed repo', async () => {
    const got = await hubDownload({ ...opts(freshCache(), 'config.json'), repo: 'old/model' });
    expect((await readFile(got.path)).equals(CONFIG)).toBe(true);
    expect(got.path).toContain(join('old--model', 'main', 'config.json'));
  });

  it('encodes a revision with slashes into one directory', async () => {
    const cache = freshCache();
    const got = await hubDownload(opts(cache, 'config.json', { revision: 'refs/pr/1' }));
    expect(got.path).toBe(join(cache, 'org--model', 'refs%2Fpr%2F1', 'config.json'));
    // the revision is one URL segment, as huggingface_hub sends it
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
    expect(stale.fromCache).toBe(true);
  });
});

describe('offline mode', () => {
  it('serves cached files without any request and refuses missing ones with OfflineError', async () => {
    const cache = freshCache();
    await hubDownload(opts(cache, 'config.json'));
    hub.requests.length = 0;
    const got = await hubDownload(opts(cache, 'config.json', { offline: true }));
    expect(got).toMatchObject({ fromCache: true, commit: COMMIT });
    await expect(hubDownload(opts(cache, 'model.safetensors', { offline: true }))).rejects.toMatchObject({
      name: 'OfflineError',
      code: 'E_OFFLINE',
      message: expect.stringMatching(
        /org--model\/main\/model\.safetensors: offline mode is on and org\/model\/model\.safetensors@main is not in the cache; run once online/,
      ),
    });
    expect(hub.requests).toEqual([]);
  });

  it('is switched on by KADAPTER_OFFLINE=1', async () => {
    const before = process.env.KADAPTER_OFFLINE;
    process.env.KADAPTER_OFFLINE = '1';
    try {
      await expect(hubDownload(opts(freshCache(), 'config.json'))).rejects.toMatchObject({ code: 'E_OFFLINE' });
      expect(hub.requests).toEqual([]);
    } finally {
      if (before === undefined) delete process.env.KADAPTER_OFFLINE;
      else process.env.KADAPTER_OFFLINE = before;
    }
  });
});

describe('paths outside the cache directory', () => {
  const cases: [Partial<HubDownloadOptions>, string][] = [
    [{ file: '../../../etc/passwd' }, 'file'],
    [{ file: '/etc/passwd' }, 'file'],
    [{ file: 'a/../../x' }, 'file'],
    [{ file: 'a\\..\\..\\x' }, 'file'],
    [{ file: '.kadapter-hub/config.json.json' }, 'file'],
    [{ repo: '../evil' }, 'repo'],
    [{ repo: 'org/../../x' }, 'repo'],
    [{ revision: '..' }, 'revision'],
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
  it('loadModelDir opens it and reports the commit as revision', async () => {
    const cache = freshCache();
    hub.add('org/tiny', 'main', 'config.json', { body: CONFIG });
    const st = await readFile(new URL('./fixtures/parameters.p4.expected.safetensors', import.meta.url));
    hub.add('org/tiny', 'main', 'model.safetensors', { body: st, lfs: true });
    const config = await hubDownload({ ...opts(cache, 'config.json'), repo: 'org/tiny' });
    await hubDownload({ ...opts(cache, 'model.safetensors'), repo: 'org/tiny' });
    const m = await openModelDir(join(config.path, '..'));
    try {
      expect(m.revision).toBe(COMMIT);
      expect(m.config.hidden_size).toBe(64);
      expect(m.weights.names.sort()).toEqual(['buf', 'p']);
    } finally {
      await m.weights.close();
    }
  });
});
