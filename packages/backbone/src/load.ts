import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { BackboneInfo } from '@kadapter/core';
import { readJsonFile } from '@kadapter/files';
import { type ModelDir, openModelDir, type TensorSource } from '@kadapter/io';
import { buildBackbone, checkWeights } from './build.js';
import { type BackboneConfig, parseBackboneConfig } from './config.js';
import { backboneInfo, type TransformerBackbone, type TransformerBackboneOptions } from './encoder.js';

export interface LoadBackboneOptions extends TransformerBackboneOptions {
  /** unfreeze right away (see TransformerBackbone.unfreeze) */
  trainable?: boolean;
}

/**
 * Loads a RoBERTa/BERT encoder from a Hugging Face model directory: `config.json` and weights in
 * any format `@kadapter/io` opens (model.safetensors, pytorch_model.bin zip or legacy pickle, or a
 * sharded `*.index.json`). The config is validated, then every stored tensor is checked by name
 * and shape against it before any tensor data is read; the weights are then read one layer at a
 * time. `info.name` defaults to the directory name. `info.revision` is `options.revision`, else
 * the Hub revision the directory records, else `sha256:` + 16 hex digits of the weight files'
 * SHA-256 (so a feature cache never mixes two checkpoints).
 */
export async function loadBackbone(dir: string, options: LoadBackboneOptions = {}): Promise<TransformerBackbone> {
  const backbone = await withModelDir(dir, async (model, config) =>
    buildBackbone(config, model.weights, {
      ...options,
      configFile: model.configFile,
      name: options.name ?? basename(model.dir),
      revision: options.revision ?? model.revision ?? (await contentRevision(model.weightsFile)),
    }),
  );
  if (options.trainable) backbone.unfreeze();
  return backbone;
}

/**
 * What `loadBackbone(dir).info` would report, with the same config and weight checks, without
 * reading any tensor data (e.g. to record which backbone an adapter belongs to).
 */
export async function readBackboneInfo(
  dir: string,
  options: { name?: string; revision?: string } = {},
): Promise<BackboneInfo> {
  return withModelDir(dir, async (model, config) => {
    checkWeights(config, model.weights, model.configFile);
    return backboneInfo(config, {
      name: options.name ?? basename(model.dir),
      revision: options.revision ?? model.revision ?? (await contentRevision(model.weightsFile)),
    });
  });
}

async function withModelDir<T>(
  dir: string,
  use: (model: ModelDir<TensorSource>, config: BackboneConfig) => Promise<T>,
): Promise<T> {
  const model = await openModelDir(dir);
  try {
    return await use(model, parseBackboneConfig(model.config, model.configFile));
  } finally {
    await model.weights.close();
  }
}

/**
 * `sha256:` + 16 hex digits of the SHA-256 of a weights file, or of a sharded checkpoint's index
 * and every shard it names (in name order).
 */
export async function contentRevision(weightsFile: string): Promise<string> {
  const hash = createHash('sha256');
  const files = [weightsFile];
  if (weightsFile.endsWith('.index.json')) {
    const index = (await readJsonFile(weightsFile)) as { weight_map?: Record<string, string> };
    const shards = [...new Set(Object.values(index.weight_map ?? {}))].sort();
    files.push(...shards.map((s) => join(dirname(weightsFile), s)));
  }
  for (const file of files) for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return `sha256:${hash.digest('hex').slice(0, 16)}`;
}
