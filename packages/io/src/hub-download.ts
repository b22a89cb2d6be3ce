import { createHash, type Hash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ChecksumError, NetworkError, OfflineError } from '@kadapter/core';
import { createProgress, type Progress } from '@kadapter/progress';
import { writeAll } from '@kadapter/files';
import { hubCachePaths, hubFileUrl } from './hub-cache.js';
import {
  openDownload,
  type RequestContext,
  type ResolvedFile,
  resolveHubFile,
  TransientNetworkError,
} from './hub-http.js';
import { type HubMeta, readHubMeta, writeHubMeta } from './hub-meta.js';

export interface HubDownloadOptions {
  /** `owner/name` */
  repo: string;
  /** path of the file in the repo, `/`-separated */
  file: string;
  /** branch, tag or commit (default 'main') */
  revision?: string;
  /** root of the local cache (layout: see hub-cache.ts / the package README) */
  cacheDir: string;
  /** default https://huggingface.co */
  endpoint?: string;
  /** serve only from the cache; default: env KADAPTER_OFFLINE (or HF_HUB_OFFLINE) is 1/true/yes/on */
  offline?: boolean;
  /** bearer token for gated/private repos; default env HF_TOKEN. Never sent to another origin. */
  token?: string;
  /** called after every received chunk */
  onProgress?: (p: { file: string; downloaded: number; total?: number }) => void;
  /** progress bar (TTY) or periodic lines on stderr; default true */
  progress?: boolean;
  /** how many times an interrupted download is resumed within this call (default 2) */
  retries?: number;
}

export interface HubFile {
  /** the local file */
  path: string;
  repo: string;
  revision: string;
  file: string;
  commit?: string;
  etag?: string;
  size: number;
  /** true when no byte was downloaded by this call */
  fromCache: boolean;
}

const SHA256 = /^[0-9a-f]{64}$/;
const COMMIT = /^[0-9a-f]{40}$/;

/**
 * Downloads one file of a Hugging Face Hub repo into the cache, or serves it from there.
 *
 * - Online, a cached file is checked with one HEAD request: same etag, no download. A file cached
 *   at a commit hash is immutable and served without any request; if the Hub cannot be reached,
 *   a cached file is served as is.
 * - Downloads go to a partial file under `.kadapter-hub/`; an interrupted download is resumed
 *   with a `Range` request (within this call up to `retries` times, or by the next call).
 * - When the etag is a sha256 (Hub LFS files), the bytes are verified; a mismatch deletes the
 *   partial file and throws ChecksumError. The file appears under its name only when complete.
 * - Offline, a missing file is an OfflineError that says which file and how to get it.
 */
export async function hubDownload(options: HubDownloadOptions): Promise<HubFile> {
  const revision = options.revision ?? 'main';
  const { repo, file } = options;
  const paths = hubCachePaths(options.cacheDir, repo, revision, file);
  const what = `${repo}/${file}@${revision}`;
  const cached = existsSync(paths.target);
  const fromCache = async (): Promise<HubFile> => {
    const meta = await readHubMeta(paths.revisionDir, file);
    return {
      path: paths.target,
      repo,
      revision,
      file,
      ...(meta?.commit ? { commit: meta.commit } : {}),
      ...(meta?.etag ? { etag: meta.etag } : {}),
      size: (await stat(paths.target)).size,
      fromCache: true,
    };
  };

  if (options.offline ?? isOfflineEnv()) {
    if (cached) return fromCache();
    throw new OfflineError(
      `offline mode is on and ${what} is not in the cache; run once online (offline: false, or unset KADAPTER_OFFLINE/HF_HUB_OFFLINE) to download it, or place the file there`,
      { file: paths.target },
    );
  }
  if (cached && COMMIT.test(revision)) return fromCache();

  const endpoint = options.endpoint ?? 'https://huggingface.co';
  const token = options.token ?? process.env.HF_TOKEN;
  const ctx: RequestContext = { what, file: paths.target, ...(token ? { token } : {}) };
  let resolved: ResolvedFile;
  try {
    resolved = await resolveHubFile(hubFileUrl(endpoint, repo, revision, file), ctx);
  } catch (err) {
    if (cached && err instanceof TransientNetworkError) return fromCache();
    throw err;
  }
  if (cached && resolved.etag !== undefined && (await readHubMeta(paths.revisionDir, file))?.etag === resolved.etag) {
    return fromCache();
  }

  const partial = join(paths.metaDir, `${file}.${tagOf(resolved.etag)}.incomplete`);
  await mkdir(dirname(partial), { recursive: true });
  const retries = options.retries ?? 2;
  let size = 0;
  for (let attempt = 0; ; attempt++) {
    try {
      size = await fetchInto(partial, resolved, {
        ...ctx,
        authOrigin: new URL(endpoint).origin,
        options,
      });
      break;
    } catch (err) {
      if (!(err instanceof TransientNetworkError) || attempt >= retries) throw err;
      await new Promise((r) => setTimeout(r, 200 * (attempt + 1)));
    }
  }
  await mkdir(dirname(paths.target), { recursive: true });
  await rename(partial, paths.target);
  const meta: HubMeta = {
    repo,
    revision,
    file,
    url: resolved.downloadUrl,
    ...(resolved.etag ? { etag: resolved.etag } : {}),
    ...(resolved.commit ? { commit: resolved.commit } : {}),
    size,
    ...(resolved.etag && SHA256.test(resolved.etag) ? { sha256: resolved.etag } : {}),
    downloadedAt: new Date().toISOString(),
  };
  await writeHubMeta(paths.revisionDir, meta);
  return {
    path: paths.target,
    repo,
    revision,
    file,
    ...(resolved.commit ? { commit: resolved.commit } : {}),
    ...(resolved.etag ? { etag: resolved.etag } : {}),
    size,
    fromCache: false,
  };
}

function isOfflineEnv(): boolean {
  const on = (v: string | undefined) => v !== undefined && ['1', 'true', 'yes', 'on'].includes(v.toLowerCase());
  return on(process.env.KADAPTER_OFFLINE) || on(process.env.HF_HUB_OFFLINE);
}

/** A file-name-safe tag of the etag, so a partial file is only ever resumed against the same version. */
function tagOf(etag: string | undefined): string {
  return createHash('sha256')
    .update(etag ?? 'no-etag')
    .digest('hex')
    .slice(0, 16);
}

/**
 * Fetches the file into `partial`, resuming from its current size with a Range request. Returns
 * the final size. Throws TransientNetworkError (partial file kept) when the transfer is cut, and
 * ChecksumError (partial file deleted) when the bytes do not match the sha256 etag.
 */
async function fetchInto(
  partial: string,
  resolved: ResolvedFile,
  ctx: RequestContext & { authOrigin: string; options: HubDownloadOptions },
): Promise<number> {
  let have = existsSync(partial) ? (await stat(partial)).size : 0;
  if (resolved.size !== undefined && have > resolved.size) {
    await rm(partial, { force: true });
    have = 0;
  }
  let res = await openDownload(resolved.downloadUrl, { ...ctx, ...(have > 0 ? { range: have } : {}) });
  if (res.status === 416) {
    // the range starts at or past the end: the partial file is not a prefix we can trust
    await res.body?.cancel();
    await rm(partial, { force: true });
    have = 0;
    res = await openDownload(resolved.downloadUrl, ctx);
  }
  if (res.status === 206) {
    const start = /^bytes (\d+)-/.exec(res.headers.get('content-range') ?? '')?.[1];
    if (Number(start) !== have) {
      await res.body?.cancel();
      await rm(partial, { force: true });
      throw new TransientNetworkError(`server answered the range request from byte ${start}, not ${have}`, {
        file: ctx.file,
      });
    }
  } else {
    have = 0; // 200: the server sends the whole file
  }
  const length = res.headers.get('content-length');
  const total = resolved.size ?? (length !== null ? have + Number(length) : undefined);

  const hash = resolved.etag && SHA256.test(resolved.etag) ? createHash('sha256') : undefined;
  if (hash && have > 0) await hashFile(partial, hash);
  const progress: Progress = createProgress({
    label: `download ${ctx.what}`,
    unit: 'B',
    ...(total !== undefined ? { total } : {}),
    silent: ctx.options.progress === false,
  });
  progress.tick(have);
  const handle = await open(partial, have > 0 ? 'a' : 'w');
  try {
    if (!res.body) throw new TransientNetworkError('response has no body', { file: ctx.file });
    for await (const chunk of res.body as AsyncIterable<Uint8Array>) {
      await writeAll(handle, chunk);
      hash?.update(chunk);
      have += chunk.byteLength;
      progress.tick(chunk.byteLength);
      ctx.options.onProgress?.({ file: ctx.options.file, downloaded: have, ...(total !== undefined ? { total } : {}) });
    }
  } catch (err) {
    if (err instanceof NetworkError) throw err;
    throw new TransientNetworkError(
      `download of ${ctx.what} interrupted after ${have}${total !== undefined ? ` of ${total}` : ''} bytes (${(err as Error).message}); the partial file is kept and the next attempt resumes it`,
      { file: ctx.file, cause: err },
    );
  } finally {
    await handle.close();
    progress.stop();
  }
  if (total !== undefined && have < total) {
    throw new TransientNetworkError(`download of ${ctx.what} ended after ${have} of ${total} bytes; it will resume`, {
      file: ctx.file,
    });
  }
  if (total !== undefined && have > total) {
    await rm(partial, { force: true });
    throw new ChecksumError(`received ${have} bytes but the file has ${total}`, { file: ctx.file });
  }
  if (hash) {
    const actual = hash.digest('hex');
    if (actual !== resolved.etag) {
      await rm(partial, { force: true });
      throw new ChecksumError(
        `sha256 of the downloaded bytes is ${actual}, the Hub says ${resolved.etag}; the download was discarded`,
        { file: ctx.file },
      );
    }
  }
  return have;
}

async function hashFile(path: string, hash: Hash): Promise<void> {
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
}
