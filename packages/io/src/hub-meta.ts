import { mkdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { writeFileAtomic } from '@kadapter/files';

/** The folder (inside a cached revision directory) that holds download metadata and partial files. */
export const HUB_META_DIR = '.kadapter-hub';

/** What `hubDownload` records next to each file it fetched. */
export interface HubMeta {
  repo: string;
  revision: string;
  file: string;
  url: string;
  /** normalised etag of the resolve response (x-linked-etag for LFS files: their sha256) */
  etag?: string;
  /** commit the revision resolved to (x-repo-commit) */
  commit?: string;
  size: number;
  /** sha256 of the bytes, when it was verified against the etag */
  sha256?: string;
  downloadedAt: string;
}

export function hubMetaPath(revisionDir: string, file: string): string {
  return join(revisionDir, HUB_META_DIR, `${file}.json`);
}

/** The metadata recorded for `file` in a cached revision directory, or undefined. */
export async function readHubMeta(revisionDir: string, file: string): Promise<HubMeta | undefined> {
  try {
    const meta = JSON.parse(await readFile(hubMetaPath(revisionDir, file), 'utf8')) as HubMeta;
    return typeof meta === 'object' && meta !== null && typeof meta.revision === 'string' ? meta : undefined;
  } catch {
    return undefined; // missing or unreadable metadata only means "not known"
  }
}

export async function writeHubMeta(revisionDir: string, meta: HubMeta): Promise<void> {
  const path = hubMetaPath(revisionDir, meta.file);
  await mkdir(dirname(path), { recursive: true });
  await writeFileAtomic(path, `${JSON.stringify(meta, null, 2)}\n`);
}
