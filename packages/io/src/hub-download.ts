import { createHash, type Hash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { copyFile, lstat, mkdir, open, readlink, rename, rm, stat, symlink } from 'node:fs/promises';
import { basename, dirname, join, relative } from 'node:path';
import { ChecksumError, NetworkError, NotFoundError } from '@kadapter/core';
import { writeAll, writeFileAtomic } from '@kadapter/files';
import { createProgress, type Progress } from '@kadapter/progress';
import {
  COMMIT_HASH,
  cachedCommit,
  type HubRepoCache,
  hubFileUrl,
  hubRepoCache,
  refFile,
  snapshotFile,
} from './hub-cache.js';
import { hubCacheDir, hubEndpoint, hubOffline } from './hub-env.js';
import {
  openDownload,
  type RequestContext,
  type ResolvedFile,
  resolveHubFile,
  TransientNetworkError,
} from './hub-http.js';
import { resolveInside } from './safe-path.js';

/** Where and how Hub files are fetched; every field has a default from the environment. */
export interface HubClientOptions {
  /** Hugging Face cache directory (default: `hubCacheDir()`: HF_HUB_CACHE, HF_HOME/hub, ~/.cache/huggingface/hub) */
  cacheDir?: string;
  /** default env HF_ENDPOINT, else https://huggingface.co */
  endpoint?: string;
  /** serve only from the cache; default: env HF_HUB_OFFLINE (or KADAPTER_OFFLINE) is 1/true/yes/on */
  offline?: boolean;
  /** bearer token for gated/private repos; default env HF_TOKEN. Never sent to another origin. */
  token?: string;
  /** progress bar (TTY) or periodic lines on stderr; default true */
  progress?: boolean;
  /** how many times an interrupted download is resumed within this call (default 2) */
  retries?: number;
}

export interface HubDownloadOptions extends HubClientOptions {
  /** `owner/name` */
  repo: string;
  /** path of the file in the repo, `/`-separated */
  file: string;
  /** branch, tag or commit (default 'main') */
  revision?: string;
  /** called after every received chunk */
  onProgress?: (p: { file: string; downloaded: number; total?: number }) => void;
}

export interface HubFile {
  /** the local file: `<cache>/models--<owner>--<name>/snapshots/<commit>/<file>` */
  path: string;
  repo: string;
  revision: string;
  file: string;
  /** the commit the revision resolved to */
  commit: string;
  /** the blob's etag (LFS files: the sha256 of the bytes), when known */
  etag?: string;
  size: number;
  /** true when no byte was downloaded by this call */
  fromCache: boolean;
}

const SHA256 = /^[0-9a-f]{64}$/;

/**
 * Downloads one file of a Hugging Face Hub repo into the Hugging Face cache (the layout of
 * Python's huggingface_hub, see hub-cache.ts), or serves it from there.
 *
 * - A file cached at a commit hash is immutable and served without any request. Otherwise one
 *   HEAD request resolves the revision to a commit and the file to an etag: a file already in that
 *   commit's snapshot is served, a blob with that etag is linked into it without downloading, and
 *   `refs/<revision>` records the commit. If the Hub cannot be reached, the cached file is served.
 * - Downloads go to `blobs/<etag>.incomplete`; an interrupted download is resumed with a `Range`
 *   request (within this call up to `retries` times, or by the next call).
 * - When the etag is a sha256 (Hub LFS files), the bytes are verified; a mismatch deletes the
 *   partial file and throws ChecksumError. The blob appears under its name only when complete.
 * - Offline, a file not in the cache is a NotFoundError naming the repo, revision and file.
 */
export async function hubDownload(options: HubDownloadOptions): Promise<HubFile> {
  const revision = options.revision ?? 'main';
  const { repo, file } = options;
  const cacheDir = options.cacheDir ?? hubCacheDir();
  const cache = hubRepoCache(cacheDir, repo);
  refFile(cache, revision); // a revision that would leave the cache is refused before anything else
  resolveInside(cache.snapshotsDir, file, { field: 'file' });
  const what = `${repo}/${file}@${revision}`;
  const knownCommit = await cachedCommit(cache, revision);
  const cachedPath = knownCommit === undefined ? undefined : snapshotFile(cache, knownCommit, file);
  const cached = cachedPath !== undefined && existsSync(cachedPath);
  const fromCache = () => cachedHubFile(cachedPath as string, { repo, revision, file, commit: knownCommit as string });
  const offline = options.offline ?? hubOffline();
  // huggingface_hub records files a commit does not have under .no_exist/<commit>/<file>; a
  // branch may have moved since, so online the record only answers for a commit asked by hash
  const noExist =
    knownCommit === undefined ? undefined : resolveInside(join(cache.repoDir, '.no_exist', knownCommit), file);
  if (!cached && noExist !== undefined && (offline || knownCommit === revision) && existsSync(noExist)) {
    throw new NotFoundError(`${what} does not exist (the cache recorded its absence at ${knownCommit})`, {
      file: noExist,
    });
  }

  if (offline) {
    if (cached) return fromCache();
    throw offlineMiss(cache, revision, knownCommit, [file]);
  }
  if (cached && COMMIT_HASH.test(revision)) return fromCache();

  const endpoint = options.endpoint ?? hubEndpoint();
  const token = options.token ?? process.env.HF_TOKEN;
  const ctx: RequestContext = { what, file: cachedPath ?? cache.repoDir, ...(token ? { token } : {}) };
  let resolved: ResolvedFile;
  try {
    resolved = await resolveHubFile(hubFileUrl(endpoint, repo, revision, file), ctx);
  } catch (err) {
    if (cached && err instanceof TransientNetworkError) return fromCache();
    if (err instanceof NotFoundError && noExist !== undefined && COMMIT_HASH.test(revision)) {
      await mkdir(dirname(noExist), { recursive: true });
      await writeFileAtomic(noExist, '');
    }
    throw err;
  }
  const { commit, etag } = resolved;
  if (commit === undefined || !COMMIT_HASH.test(commit) || etag === undefined) {
    throw new NetworkError(
      `${endpoint} answered for ${what} without a commit hash (x-repo-commit) or an etag; is it a Hugging Face Hub endpoint?`,
      { file: cache.repoDir },
    );
  }
  if (revision !== commit) {
    const ref = refFile(cache, revision);
    await mkdir(dirname(ref), { recursive: true });
    await writeFileAtomic(ref, commit);
  }
  const pointer = snapshotFile(cache, commit, file);
  if (existsSync(pointer)) return cachedHubFile(pointer, { repo, revision, file, commit });

  const blob = join(cache.blobsDir, blobName(etag));
  let size: number;
  if (existsSync(blob)) {
    size = (await stat(blob)).size;
  } else {
    const partial = `${blob}.incomplete`;
    await mkdir(cache.blobsDir, { recursive: true });
    const retries = options.retries ?? 2;
    for (let attempt = 0; ; attempt++) {
      try {
        size = await fetchInto(partial, resolved, {
          ...ctx,
          file: partial,
          authOrigin: new URL(endpoint).origin,
          options,
        });
        break;
      } catch (err) {
        if (!(err instanceof TransientNetworkError) || attempt >= retries) throw err;
        await new Promise((r) => setTimeout(r, 200 * (attempt + 1)));
      }
    }
    await rename(partial, blob);
  }
  await linkIntoSnapshot(blob, pointer);
  return { path: pointer, repo, revision, file, commit, etag, size, fromCache: false };
}

/**
 * The NotFoundError of offline mode: which files of which repo and revision the cache lacks, where
 * it looked, and how to get them.
 */
export function offlineMiss(
  cache: HubRepoCache,
  revision: string,
  commit: string | undefined,
  files: readonly string[],
): NotFoundError {
  const at = `${cache.repo}@${revision}${commit !== undefined && commit !== revision ? ` (${commit})` : ''}`;
  const need = files.length > 1 ? `none of ${files.join(', ')}` : `no ${files[0]}`;
  const why = commit === undefined ? ` (it does not know revision '${revision}': no refs/${revision})` : '';
  const download = `kadapter download ${cache.repo}${revision === 'main' ? '' : ` --revision ${revision}`}`;
  return new NotFoundError(
    `offline mode is on (HF_HUB_OFFLINE) and the Hugging Face cache has ${need} for ${at}${why}; download it once online (\`${download}\`) or unset HF_HUB_OFFLINE`,
    { file: cache.repoDir },
  );
}

/** What `hubDownload` returns for a file already in a snapshot. */
async function cachedHubFile(
  path: string,
  at: { repo: string; revision: string; file: string; commit: string },
): Promise<HubFile> {
  const link = (await lstat(path)).isSymbolicLink() ? basename(await readlink(path)) : undefined;
  return { path, ...at, ...(link ? { etag: link } : {}), size: (await stat(path)).size, fromCache: true };
}

/** The etag as a blob file name (huggingface_hub uses it as is; anything unsafe is hashed). */
function blobName(etag: string): string {
  return /^[A-Za-z0-9_-][A-Za-z0-9_.-]{0,199}$/.test(etag) && !etag.endsWith('.incomplete')
    ? etag
    : createHash('sha256').update(etag).digest('hex');
}

/**
 * `snapshots/<commit>/<file>` -> `../../blobs/<etag>` (a relative symlink, as huggingface_hub
 * makes); where symlinks cannot be made, a copy of the blob.
 */
async function linkIntoSnapshot(blob: string, pointer: string): Promise<void> {
  await mkdir(dirname(pointer), { recursive: true });
  const temp = join(dirname(pointer), `.${basename(pointer)}.${process.pid}.tmp`);
  await rm(temp, { force: true });
  try {
    await symlink(relative(dirname(pointer), blob), temp);
  } catch {
    await copyFile(blob, temp);
  }
  await rename(temp, pointer);
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
