import { join } from 'node:path';
import { NotFoundError } from '@kadapter/core';
import { readJsonFile } from '@kadapter/files';
import { hubRepoCache } from './hub-cache.js';
import { type HubClientOptions, hubDownload, offlineMiss } from './hub-download.js';
import { hubCacheDir, hubOffline } from './hub-env.js';

export interface HubSnapshotOptions extends HubClientOptions {
  /** branch, tag or commit (default 'main') */
  revision?: string;
}

/** Files of one commit of a Hub repo, in the local Hugging Face cache. */
export interface HubSnapshot {
  repo: string;
  /** the revision asked for */
  revision: string;
  /** the commit it resolved to */
  commit: string;
  /** `<cache>/models--<owner>--<name>/snapshots/<commit>` */
  dir: string;
  /** the files now in `dir` (repo paths), in the order they were fetched */
  files: string[];
}

/** Which files of a repo a snapshot needs. */
export interface HubFileSet {
  /** every one must exist (the first one pins the revision to a commit) */
  required: readonly string[];
  /** fetched when the repo has them */
  optional?: readonly string[];
}

/**
 * Downloads (or finds in the cache) files of one commit of a Hub repo: the first required file
 * resolves the revision to a commit, every other file is then fetched at that commit, so the
 * snapshot is consistent even if the branch moves meanwhile. Offline, only the cache is read
 * (a missing required file: NotFoundError naming repo, revision and file).
 */
export async function hubSnapshot(
  repo: string,
  want: HubFileSet,
  options: HubSnapshotOptions = {},
): Promise<HubSnapshot> {
  const snapshot = new SnapshotFetch(repo, options);
  for (const file of want.required) await snapshot.fetch(file);
  for (const file of want.optional ?? []) await snapshot.fetch(file, { optional: true });
  return snapshot.result();
}

/** Fetches files of one repo at one commit (pinned by the first file fetched). */
export class SnapshotFetch {
  private readonly revision: string;
  private readonly options: HubClientOptions;
  private commit: string | undefined;
  private dir: string | undefined;
  private readonly files: string[] = [];

  constructor(
    readonly repo: string,
    options: HubSnapshotOptions,
  ) {
    const { revision, ...client } = options;
    this.revision = revision ?? 'main';
    this.options = { ...client, cacheDir: client.cacheDir ?? hubCacheDir() };
  }

  /** Fetches `file`; with `optional`, a file the repo does not have is skipped (returns false). */
  async fetch(file: string, how: { optional?: boolean } = {}): Promise<boolean> {
    try {
      const got = await hubDownload({ ...this.options, repo: this.repo, file, revision: this.commit ?? this.revision });
      if (this.commit === undefined) {
        this.commit = got.commit;
        this.dir = got.path.slice(0, got.path.length - file.length - 1);
      }
      this.files.push(file);
      return true;
    } catch (err) {
      if (how.optional && err instanceof NotFoundError) return false;
      throw err;
    }
  }

  /** Fetches the first of `candidates` the repo has; none: NotFoundError listing them. */
  async fetchFirst(candidates: readonly string[], what: string): Promise<string> {
    for (const file of candidates) if (await this.fetch(file, { optional: true })) return file;
    const cache = hubRepoCache(this.options.cacheDir as string, this.repo);
    if (this.options.offline ?? hubOffline()) throw offlineMiss(cache, this.revision, this.commit, candidates);
    throw new NotFoundError(
      `${this.repo}@${this.revision}${this.commit ? ` (${this.commit})` : ''} has no ${what} (looked for ${candidates.join(', ')})`,
      { file: cache.repoDir },
    );
  }

  /** A JSON file already fetched, parsed. */
  readJson(file: string): Promise<unknown> {
    return readJsonFile(join(this.result().dir, file));
  }

  result(): HubSnapshot {
    if (this.commit === undefined || this.dir === undefined) {
      throw new NotFoundError(`nothing was fetched from ${this.repo}@${this.revision}`);
    }
    return { repo: this.repo, revision: this.revision, commit: this.commit, dir: this.dir, files: [...this.files] };
  }
}
