import { join } from 'node:path';
import { PathError } from '@kadapter/core';
import { HUB_META_DIR } from './hub-meta.js';
import { resolveInside } from './safe-path.js';

/**
 * Where a Hub file lives in the cache:
 *
 *     <cacheDir>/<owner>--<name>/<revision>/<file>                       the file itself
 *     <cacheDir>/<owner>--<name>/<revision>/.kadapter-hub/<file>.json     its download metadata
 *     <cacheDir>/<owner>--<name>/<revision>/.kadapter-hub/<file>.<tag>.incomplete   a partial download
 *
 * A revision directory is therefore a plain model directory (`loadModelDir` opens it). The
 * revision is URI-encoded (`refs/pr/1` -> `refs%2Fpr%2F1`). Anything in `repo`, `revision` or `file`
 * that could reach outside the cache directory is a PathError.
 */
export interface HubCachePaths {
  revisionDir: string;
  target: string;
  /** `.kadapter-hub` under the revision dir, where partial files go */
  metaDir: string;
}

/** Hugging Face repo ids: `name` or `owner/name`, letters, digits, `-`, `_`, `.`; no `--` or `..`. */
const REPO_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]*(\/[A-Za-z0-9][A-Za-z0-9_.-]*)?$/;

export function hubCachePaths(cacheDir: string, repo: string, revision: string, file: string): HubCachePaths {
  if (!REPO_ID.test(repo) || repo.includes('--') || repo.includes('..') || repo.length > 96) {
    throw new PathError(`repo id '${repo}' is not of the form owner/name (letters, digits, -, _, .; no '--' or '..')`, {
      field: 'repo',
    });
  }
  if (revision === '' || revision === '.' || revision === '..' || revision.includes('\0') || revision.length > 200) {
    throw new PathError(`revision '${revision}' is not a branch, tag or commit name`, { field: 'revision' });
  }
  const revisionDir = resolveInside(cacheDir, `${repo.replace('/', '--')}/${encodeURIComponent(revision)}`, {
    field: 'revision',
  });
  if (file.split('/')[0] === HUB_META_DIR) {
    throw new PathError(`file '${file}' is inside the cache's own ${HUB_META_DIR} folder`, { field: 'file' });
  }
  const target = resolveInside(revisionDir, file, { field: 'file' });
  return { revisionDir, target, metaDir: join(revisionDir, HUB_META_DIR) };
}

/** The URL of a file at a revision: `<endpoint>/<repo>/resolve/<revision>/<file>`. */
export function hubFileUrl(endpoint: string, repo: string, revision: string, file: string): string {
  const path = file.split('/').map(encodeURIComponent).join('/');
  return `${endpoint.replace(/\/+$/, '')}/${repo}/resolve/${encodeURIComponent(revision)}/${path}`;
}
