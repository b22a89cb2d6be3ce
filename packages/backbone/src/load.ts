import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { NotFoundError } from '@kadapter/core';
import { openWeights } from '@kadapter/io';
import { buildBackbone } from './build.js';
import { parseBackboneConfig } from './config.js';
import type { TransformerBackbone, TransformerBackboneOptions } from './encoder.js';
import { readJsonFile } from './json-file.js';

export interface LoadBackboneOptions extends TransformerBackboneOptions {
  /** unfreeze right away (see TransformerBackbone.unfreeze) */
  trainable?: boolean;
}

/** Weight files looked for, in order: Hugging Face's, then K-Adapter's saved fine-tuned backbone (spec §6). */
const WEIGHT_FILES = ['model.safetensors', 'pytorch_model.bin', 'pytorch_pretrained_model.bin'];

/**
 * Loads a RoBERTa/BERT encoder from a Hugging Face model directory (`config.json` + weights:
 * safetensors or a PyTorch checkpoint, zip or legacy pickle, read by `@kadapter/io`).
 * The config is validated, then every stored tensor is checked by name and shape against it
 * before any tensor data is read; the weights are then read one layer at a time.
 * `info.name` defaults to the directory name; `info.revision` is `options.revision` or, when
 * absent, `sha256:` + the first 16 hex digits of the weight file's SHA-256 (so a feature cache
 * never mixes two checkpoints).
 */
export async function loadBackbone(dir: string, options: LoadBackboneOptions = {}): Promise<TransformerBackbone> {
  const configFile = join(dir, 'config.json');
  const config = parseBackboneConfig(await readJsonFile(configFile), configFile);
  const weightsFile = WEIGHT_FILES.map((f) => join(dir, f)).find((f) => existsSync(f));
  if (weightsFile === undefined) {
    throw new NotFoundError(`no weights in the model directory (looked for ${WEIGHT_FILES.join(', ')})`, {
      file: dir,
    });
  }
  const file = await openWeights(weightsFile);
  let backbone: TransformerBackbone;
  try {
    backbone = await buildBackbone(config, file, {
      ...options,
      configFile,
      name: options.name ?? basename(resolve(dir)),
      revision: options.revision ?? (await contentRevision(weightsFile)),
    });
  } finally {
    await file.close();
  }
  if (options.trainable) backbone.unfreeze();
  return backbone;
}

/** `sha256:` + 16 hex digits of the file's SHA-256. */
export async function contentRevision(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return `sha256:${hash.digest('hex').slice(0, 16)}`;
}
