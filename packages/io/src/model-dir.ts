import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { NotFoundError } from '@kadapter/core';
import { asJsonObject, readJsonFile } from '@kadapter/files';
import type * as tf from '@tensorflow/tfjs';
import { parseSnapshotDir } from './hub-cache.js';
import { ShardedWeights } from './sharded-weights.js';
import { readAllTensors, type TensorSource } from './tensor-source.js';
import { openWeights } from './weights-file.js';

/** Weights files looked for, in order of preference (safetensors first, as Hugging Face does). */
export const WEIGHTS_FILES = [
  'model.safetensors',
  'model.safetensors.index.json',
  'pytorch_model.bin',
  'pytorch_model.bin.index.json',
] as const;

/** Tokenizer files present in a model directory (absolute paths). */
export interface TokenizerFiles {
  /** HF `tokenizers` format */
  tokenizerJson?: string;
  /** byte-level BPE vocabulary (RoBERTa/GPT-2), used with `mergesTxt` */
  vocabJson?: string;
  mergesTxt?: string;
  /** WordPiece vocabulary (BERT) */
  vocabTxt?: string;
  tokenizerConfig?: string;
  specialTokensMap?: string;
}

export interface ModelDir<W> {
  dir: string;
  /** parsed config.json */
  config: Record<string, unknown>;
  configFile: string;
  weights: W;
  /** the weights file, or the index file of a sharded checkpoint */
  weightsFile: string;
  tokenizerFiles?: TokenizerFiles;
  /** `owner/name` when the directory is a Hugging Face cache snapshot (`.../models--<owner>--<name>/snapshots/<commit>`) */
  hubId?: string;
  /** the commit of such a snapshot; undefined for a plain local directory */
  revision?: string;
}

/**
 * Opens a Hugging Face model directory lazily: config.json is parsed, the weights file (or every
 * shard) is opened with only its header / pickle read, and tensors are read by name through
 * `weights` (a TensorSource; close it when done).
 */
export async function openModelDir(dir: string): Promise<ModelDir<TensorSource>> {
  const root = resolve(dir);
  const configFile = join(root, 'config.json');
  if (!existsSync(configFile)) {
    throw new NotFoundError('model directory has no config.json', { file: root });
  }
  const config = asJsonObject(await readJsonFile(configFile), configFile);
  const weightsName = WEIGHTS_FILES.find((f) => existsSync(join(root, f)));
  if (weightsName === undefined) {
    throw new NotFoundError(`model directory has no weights (looked for ${WEIGHTS_FILES.join(', ')})`, {
      file: root,
    });
  }
  const weightsFile = join(root, weightsName);
  const weights = weightsName.endsWith('.index.json')
    ? await ShardedWeights.open(weightsFile)
    : await openWeights(weightsFile);
  const tokenizerFiles = findTokenizerFiles(root);
  const snapshot = parseSnapshotDir(root);
  return {
    dir: root,
    config,
    configFile,
    weights,
    weightsFile,
    ...(tokenizerFiles ? { tokenizerFiles } : {}),
    ...(snapshot ? { hubId: snapshot.repo, revision: snapshot.commit } : {}),
  };
}

/** Loads a Hugging Face model directory with every tensor (or those `filter` accepts) as tfjs tensors. */
export async function loadModelDir(
  dir: string,
  filter: (name: string) => boolean = () => true,
): Promise<ModelDir<Map<string, tf.Tensor>>> {
  const opened = await openModelDir(dir);
  try {
    return { ...opened, weights: await readAllTensors(opened.weights, filter) };
  } finally {
    await opened.weights.close();
  }
}

const TOKENIZER_FILES: [keyof TokenizerFiles, string][] = [
  ['tokenizerJson', 'tokenizer.json'],
  ['vocabJson', 'vocab.json'],
  ['mergesTxt', 'merges.txt'],
  ['vocabTxt', 'vocab.txt'],
  ['tokenizerConfig', 'tokenizer_config.json'],
  ['specialTokensMap', 'special_tokens_map.json'],
];

/** File names of the tokenizer files a model directory may hold. */
export const TOKENIZER_FILE_NAMES: readonly string[] = TOKENIZER_FILES.map(([, name]) => name);

function findTokenizerFiles(root: string): TokenizerFiles | undefined {
  const found: TokenizerFiles = {};
  for (const [key, name] of TOKENIZER_FILES) if (existsSync(join(root, name))) found[key] = join(root, name);
  const usable = found.tokenizerJson || (found.vocabJson && found.mergesTxt) || found.vocabTxt;
  return usable ? found : undefined;
}
