import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { NotFoundError } from '@kadapter/core';
import { type BertLayerParams, disposeTree, type ParamTree, TorchWeightReader } from '@kadapter/core/nn';
import { SafetensorsFile } from '@kadapter/io';
import type * as tf from '@tensorflow/tfjs';
import { parseBackboneConfig } from './config.js';
import { type BackboneParams, TransformerBackbone, type TransformerBackboneOptions } from './encoder.js';
import { readJsonFile } from './json-file.js';
import { layerPrefix, verifyBackboneWeights } from './spec.js';
import { canonicalNames, isIgnoredWeight } from './weight-names.js';

export interface LoadBackboneOptions extends TransformerBackboneOptions {
  /** unfreeze right away (see TransformerBackbone.unfreeze) */
  trainable?: boolean;
}

const WEIGHT_FILES = ['model.safetensors'];

/**
 * Loads a RoBERTa/BERT encoder from a Hugging Face model directory (`config.json` + weights).
 * The config is validated, then every stored tensor is checked by name and shape against it
 * before any tensor data is read; the weights are then read one layer at a time.
 * `info.revision` is `options.revision` or, when absent, `sha256:` + the first 16 hex digits of
 * the weight file's SHA-256 (so a feature cache never mixes two checkpoints).
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
  const file = await SafetensorsFile.open(weightsFile);
  let params: BackboneParams;
  try {
    const names = canonicalNames(file.names, weightsFile);
    const entries = new Map([...names].map(([canonical, stored]) => [canonical, file.entries.get(stored)!]));
    verifyBackboneWeights(entries, config, configFile, weightsFile);
    params = await readParams(file, names, config.numHiddenLayers);
  } finally {
    await file.close();
  }
  const backbone = new TransformerBackbone(config, params, {
    ...options,
    name: options.name ?? basename(resolve(dir)),
    revision: options.revision ?? (await contentRevision(weightsFile)),
  });
  if (options.trainable) backbone.unfreeze();
  return backbone;
}

/** Reads the parameters group by group, so at most one layer's raw tensors exist besides the result. */
async function readParams(file: SafetensorsFile, names: Map<string, string>, layers: number): Promise<BackboneParams> {
  const built: ParamTree[] = [];
  const group = async <T extends ParamTree>(prefix: string, build: (r: TorchWeightReader) => T): Promise<T> => {
    const raw = new Map<string, tf.Tensor>();
    try {
      for (const [canonical, stored] of names) {
        if (canonical.startsWith(prefix) && !isIgnoredWeight(canonical)) {
          raw.set(canonical, await file.readTensor(stored));
        }
      }
      const params = build(new TorchWeightReader(raw, file.path));
      built.push(params);
      return params;
    } finally {
      for (const t of raw.values()) t.dispose();
    }
  };
  try {
    const emb = await group('embeddings.', (r) => ({
      wordEmbeddings: r.tensor('embeddings.word_embeddings.weight').clone() as tf.Tensor2D,
      positionEmbeddings: r.tensor('embeddings.position_embeddings.weight').clone() as tf.Tensor2D,
      tokenTypeEmbeddings: r.tensor('embeddings.token_type_embeddings.weight').clone() as tf.Tensor2D,
      embeddingsLayerNorm: { ...r.layerNorm('embeddings.LayerNorm.') },
    }));
    const layerParams: BertLayerParams[] = [];
    for (let i = 0; i < layers; i++) {
      layerParams.push(await group(layerPrefix(i), (r) => r.bertLayer(layerPrefix(i)) as BertLayerParams & ParamTree));
    }
    return { ...emb, layers: layerParams };
  } catch (err) {
    for (const p of built) disposeTree(p);
    throw err;
  }
}

/** `sha256:` + 16 hex digits of the file's SHA-256. */
export async function contentRevision(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return `sha256:${hash.digest('hex').slice(0, 16)}`;
}
