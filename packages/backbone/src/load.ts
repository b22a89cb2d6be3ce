import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { BackboneInfo } from '@kadapter/core';
import { readJsonFile } from '@kadapter/files';
import {
  type HubClientOptions,
  isHubRepoId,
  type ModelDir,
  type ModelSource,
  openModelDir,
  resolveModelSource,
  type TensorSource,
} from '@kadapter/io';
import { buildBackbone, checkWeights } from './build.js';
import { type BackboneConfig, parseBackboneConfig } from './config.js';
import { backboneInfo, type TransformerBackbone, type TransformerBackboneOptions } from './encoder.js';

/** Where a backbone is loaded from: a model directory, or a Hub id fetched through the Hugging Face cache. */
export interface BackboneSourceOptions {
  /** the label `info.name` (default: the Hub id, else config.json `_name_or_path`, else the directory name) */
  name?: string;
  /** for a Hub id: the branch, tag or commit to load (default 'main'); `info.revision` is the commit it resolves to */
  revision?: string;
  /** for a Hub id: cache directory, endpoint, offline mode, token (defaults: HF_HUB_CACHE / HF_HOME, HF_ENDPOINT, HF_HUB_OFFLINE, HF_TOKEN) */
  hub?: HubClientOptions;
}

export interface LoadBackboneOptions
  extends Omit<TransformerBackboneOptions, 'name' | 'revision'>,
    BackboneSourceOptions {
  /** unfreeze right away (see TransformerBackbone.unfreeze) */
  trainable?: boolean;
}

/**
 * Loads a RoBERTa/BERT encoder from a Hugging Face model directory, or from a Hub id
 * (`FacebookAI/roberta-base`) through the Hugging Face cache shared with Python (downloaded when
 * online, read from the cache alone with HF_HUB_OFFLINE=1). The directory holds `config.json`
 * and weights in any format `@kadapter/io` opens (model.safetensors, pytorch_model.bin zip or
 * legacy pickle, or a sharded `*.index.json`). The config is validated, then every stored tensor
 * is checked by name and shape against it before any tensor data is read; the weights are then
 * read one layer at a time.
 *
 * `info` identifies the backbone by its architecture and `contentHash` (the SHA-256 of the
 * weights); `name` is only a label (see `BackboneSourceOptions.name`); `hubId` and `revision`
 * (the commit) are set when the weights came from the Hub or a snapshot in its cache.
 */
export async function loadBackbone(source: string, options: LoadBackboneOptions = {}): Promise<TransformerBackbone> {
  const backbone = await withModelDir(source, options, async (model, config, identity) =>
    buildBackbone(config, model.weights, { ...options, ...identity, configFile: model.configFile }),
  );
  if (options.trainable) backbone.unfreeze();
  return backbone;
}

/**
 * What `loadBackbone(source).info` would report, with the same config and weight checks, without
 * reading any tensor data (e.g. to record which backbone an adapter belongs to). The weights
 * files are read once to hash them.
 */
export async function readBackboneInfo(source: string, options: BackboneSourceOptions = {}): Promise<BackboneInfo> {
  return withModelDir(source, options, async (model, config, identity) => {
    checkWeights(config, model.weights, model.configFile);
    return backboneInfo(config, identity);
  });
}

type Identity = Pick<BackboneInfo, 'name' | 'hubId' | 'revision' | 'contentHash'>;

async function withModelDir<T>(
  source: string,
  options: BackboneSourceOptions,
  use: (model: ModelDir<TensorSource>, config: BackboneConfig, identity: Identity) => Promise<T>,
): Promise<T> {
  const resolved = await resolveModelSource(source, {
    ...options.hub,
    ...(options.revision === undefined ? {} : { revision: options.revision }),
  });
  const model = await openModelDir(resolved.dir);
  try {
    const config = parseBackboneConfig(model.config, model.configFile);
    const identity: Identity = {
      name: options.name ?? label(resolved, model),
      ...(resolved.hubId === undefined ? {} : { hubId: resolved.hubId }),
      ...(resolved.revision === undefined ? {} : { revision: resolved.revision }),
      contentHash: await contentHash(model.weightsFile),
    };
    return await use(model, config, identity);
  } finally {
    await model.weights.close();
  }
}

/**
 * The label of a model: its Hub id, else config.json `_name_or_path` (as transformers'
 * save_pretrained writes it: a Hub id as it is, a local path by its last folder), else the
 * directory name.
 */
function label(source: ModelSource, model: ModelDir<unknown>): string {
  if (source.hubId !== undefined) return source.hubId;
  const saved = model.config._name_or_path;
  if (typeof saved === 'string' && saved.trim() !== '') return isHubRepoId(saved) ? saved : basename(saved);
  return basename(model.dir);
}

/**
 * `sha256:` + the SHA-256 (hex) of a weights file (what `sha256sum` prints, and the etag the Hub
 * gives an LFS file), or of a sharded checkpoint's index followed by every shard it names (in
 * name order).
 */
async function contentHash(weightsFile: string): Promise<string> {
  const hash = createHash('sha256');
  const files = [weightsFile];
  if (weightsFile.endsWith('.index.json')) {
    const index = (await readJsonFile(weightsFile)) as { weight_map?: Record<string, string> };
    const shards = [...new Set(Object.values(index.weight_map ?? {}))].sort();
    files.push(...shards.map((s) => join(dirname(weightsFile), s)));
  }
  for (const file of files) for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return `sha256:${hash.digest('hex')}`;
}
