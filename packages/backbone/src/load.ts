import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { openModelDir, readJsonFile } from '@kadapter/io';
import { buildBackbone } from './build.js';
import { parseBackboneConfig } from './config.js';
import type { TransformerBackbone, TransformerBackboneOptions } from './encoder.js';

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
  const model = await openModelDir(dir);
  let backbone: TransformerBackbone;
  try {
    const config = parseBackboneConfig(model.config, model.configFile);
    backbone = await buildBackbone(config, model.weights, {
      ...options,
      configFile: model.configFile,
      name: options.name ?? basename(model.dir),
      revision: options.revision ?? model.revision ?? (await contentRevision(model.weightsFile)),
    });
  } finally {
    await model.weights.close();
  }
  if (options.trainable) backbone.unfreeze();
  return backbone;
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
