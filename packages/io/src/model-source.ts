import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { isKAdapterError, NotFoundError } from '@kadapter/core';
import { isJsonObject } from '@kadapter/files';
import { isHubRepoId, parseSnapshotDir } from './hub-cache.js';
import { type HubSnapshot, type HubSnapshotOptions, SnapshotFetch } from './hub-snapshot.js';
import { TOKENIZER_FILE_NAMES, WEIGHTS_FILES } from './model-dir.js';

/** A model directory on this machine, and the Hub repo and commit it is a snapshot of, if any. */
export interface ModelSource {
  dir: string;
  /** `owner/name` when the directory is a Hugging Face cache snapshot (or was fetched as one) */
  hubId?: string;
  /** the snapshot's commit */
  revision?: string;
}

/**
 * Downloads (or finds in the Hugging Face cache) what a model directory needs: `config.json`, the
 * first weights file the repo has (`WEIGHTS_FILES` order; every shard of a sharded checkpoint) and
 * the tokenizer files it has.
 */
export async function hubModelSnapshot(repo: string, options: HubSnapshotOptions = {}): Promise<HubSnapshot> {
  const fetch = new SnapshotFetch(repo, options);
  await fetch.fetch('config.json');
  const weights = await fetch.fetchFirst(WEIGHTS_FILES, 'weights file');
  if (weights.endsWith('.index.json')) {
    const index = await fetch.readJson(weights);
    const map = isJsonObject(index) && isJsonObject(index.weight_map) ? index.weight_map : {};
    const shards = [...new Set(Object.values(map).filter((s): s is string => typeof s === 'string'))].sort();
    for (const shard of shards) await fetch.fetch(shard);
  }
  for (const file of TOKENIZER_FILE_NAMES) await fetch.fetch(file, { optional: true });
  return fetch.result();
}

/**
 * A model given as a local directory or a Hub repo id: an existing directory is used as it is
 * (a cache snapshot directory reports its repo and commit); otherwise an `owner/name` id is
 * fetched through the Hugging Face cache (`hubModelSnapshot`; offline: the cache only).
 */
export async function resolveModelSource(source: string, options: HubSnapshotOptions = {}): Promise<ModelSource> {
  if (existsSync(source) && statSync(source).isDirectory()) {
    const dir = resolve(source);
    const snapshot = parseSnapshotDir(dir);
    return snapshot ? { dir, hubId: snapshot.repo, revision: snapshot.commit } : { dir };
  }
  if (!isHubRepoId(source)) {
    throw new NotFoundError(`'${source}' is neither a model directory nor a Hub repo id (owner/name)`, {
      file: resolve(source),
    });
  }
  try {
    const snapshot = await hubModelSnapshot(source, options);
    return { dir: snapshot.dir, hubId: source, revision: snapshot.commit };
  } catch (err) {
    if (isKAdapterError(err, 'E_NOT_FOUND') && !existsSync(source)) {
      throw new NotFoundError(`there is no directory '${source}' here, and as a Hub repo id: ${err.message}`, {
        cause: err,
      });
    }
    throw err;
  }
}
