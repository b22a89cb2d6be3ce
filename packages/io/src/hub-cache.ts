import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { PathError } from '@kadapter/core';
import { resolveInside } from './safe-path.js';

/**
 * One repo in the Hugging Face cache, laid out as Python's huggingface_hub lays it out (so both
 * share one cache):
 *
 *     <cache>/models--<owner>--<name>/blobs/<etag>                 file contents, named by etag
 *     <cache>/models--<owner>--<name>/blobs/<etag>.incomplete      a partial download
 *     <cache>/models--<owner>--<name>/refs/<revision>              the commit a branch or tag resolved to
 *     <cache>/models--<owner>--<name>/snapshots/<commit>/<file>    symlink to ../../blobs/<etag>
 *
 * A snapshot directory is therefore a plain model directory (`openModelDir` opens it).
 */
export interface HubRepoCache {
  repo: string;
  repoDir: string;
  blobsDir: string;
  refsDir: string;
  snapshotsDir: string;
}

/** Hugging Face repo ids: `name` or `owner/name`, letters, digits, `-`, `_`, `.`; no `--` or `..`. */
const REPO_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]*(\/[A-Za-z0-9][A-Za-z0-9_.-]*)?$/;

/** A Hub commit hash. */
export const COMMIT_HASH = /^[0-9a-f]{40}$/;

/** Whether `id` has the form of a Hub repo id (`owner/name` or `name`). */
export function isHubRepoId(id: string): boolean {
  return REPO_ID.test(id) && !id.includes('--') && !id.includes('..') && id.length <= 96;
}

/** The cache folder of a repo; an id that is not a repo id (could reach outside the cache) is a PathError. */
export function hubRepoCache(cacheDir: string, repo: string): HubRepoCache {
  if (!isHubRepoId(repo)) {
    throw new PathError(`repo id '${repo}' is not of the form owner/name (letters, digits, -, _, .; no '--' or '..')`, {
      field: 'repo',
    });
  }
  const repoDir = join(cacheDir, `models--${repo.replace('/', '--')}`);
  return {
    repo,
    repoDir,
    blobsDir: join(repoDir, 'blobs'),
    refsDir: join(repoDir, 'refs'),
    snapshotsDir: join(repoDir, 'snapshots'),
  };
}

/** `refs/<revision>` (a revision like `refs/pr/1` is nested, as huggingface_hub does); PathError if it would leave the repo. */
export function refFile(cache: HubRepoCache, revision: string): string {
  if (revision.length > 200) throw new PathError(`revision '${revision}' is too long`, { field: 'revision' });
  return resolveInside(cache.refsDir, revision, { field: 'revision' });
}

/** `snapshots/<commit>/<file>`; PathError for anything that would leave the snapshot. */
export function snapshotFile(cache: HubRepoCache, commit: string, file: string): string {
  if (!COMMIT_HASH.test(commit)) {
    throw new PathError(`'${commit}' is not a commit hash (40 hex digits)`, { field: 'commit' });
  }
  return resolveInside(join(cache.snapshotsDir, commit), file, { field: 'file' });
}

/** The commit a revision stands for in the cache: itself when it is a commit hash, else `refs/<revision>`. */
export async function cachedCommit(cache: HubRepoCache, revision: string): Promise<string | undefined> {
  if (COMMIT_HASH.test(revision)) return revision;
  const ref = refFile(cache, revision);
  if (!existsSync(ref)) return undefined;
  const commit = (await readFile(ref, 'utf8')).trim();
  return COMMIT_HASH.test(commit) ? commit : undefined;
}

/**
 * The repo id and commit of a snapshot directory (`.../models--<owner>--<name>/snapshots/<commit>`),
 * or undefined when `dir` is not one.
 */
export function parseSnapshotDir(dir: string): { repo: string; commit: string } | undefined {
  const commit = basename(dir);
  const snapshots = dirname(dir);
  const repoFolder = basename(dirname(snapshots));
  if (basename(snapshots) !== 'snapshots' || !COMMIT_HASH.test(commit) || !repoFolder.startsWith('models--')) {
    return undefined;
  }
  const repo = repoFolder.slice('models--'.length).replace('--', '/');
  return isHubRepoId(repo) ? { repo, commit } : undefined;
}

/** The URL of a file at a revision: `<endpoint>/<repo>/resolve/<revision>/<file>`. */
export function hubFileUrl(endpoint: string, repo: string, revision: string, file: string): string {
  const path = file.split('/').map(encodeURIComponent).join('/');
  return `${endpoint.replace(/\/+$/, '')}/${repo}/resolve/${encodeURIComponent(revision)}/${path}`;
}
