import type { NamedTensors } from '@kadapter/nn';
import { type BertLayerParams, disposeTree, type ParamTree, type Shaped, TorchWeightReader } from '@kadapter/nn';
import type * as tf from '@tensorflow/tfjs';
import type { BackboneConfig } from './config.js';
import { type BackboneParams, TransformerBackbone, type TransformerBackboneOptions } from './encoder.js';
import { layerPrefix, verifyBackboneWeights } from './spec.js';
import { canonicalNames, isIgnoredWeight } from './weight-names.js';

/**
 * Stored tensors that can be listed (with shapes) before any of them is read: the part of
 * `@kadapter/io`'s `TensorSource` the builder needs, so any open weights file fits.
 */
export interface WeightSource {
  /** file (or label) named in errors */
  readonly path: string;
  readonly entries: ReadonlyMap<string, Shaped>;
  readTensor(name: string): Promise<tf.Tensor>;
}

/**
 * Builds an encoder from PyTorch-named tensors (with a `roberta.`/`bert.`/`model.` prefix or
 * none). Every tensor is checked by name and shape against `config` first; pooler, LM-head and
 * BERT pre-training-head tensors are ignored. `named` is not modified or disposed.
 */
export async function backboneFromWeights(
  config: BackboneConfig,
  named: NamedTensors,
  options: TransformerBackboneOptions & { source?: string } = {},
): Promise<TransformerBackbone> {
  const source: WeightSource = {
    path: options.source ?? 'weights',
    entries: named,
    readTensor: async (name) => named.get(name)!,
  };
  return buildBackbone(config, source, { ...options, owned: false });
}

export interface BuildOptions extends TransformerBackboneOptions {
  /** config.json path, named in config errors */
  configFile?: string;
  /** whether tensors `readTensor` returns belong to the builder (disposed once copied); default true */
  owned?: boolean;
}

/** Verifies the source against the config, then reads it one layer at a time. */
export async function buildBackbone(
  config: BackboneConfig,
  source: WeightSource,
  options: BuildOptions = {},
): Promise<TransformerBackbone> {
  const names = checkWeights(config, source, options.configFile);
  const params = await readParams(source, names, config.numHiddenLayers, options.owned ?? true);
  return new TransformerBackbone(config, params, options);
}

/**
 * Checks every tensor of `source` by name and shape against the config (reading no data) and
 * returns the prefix-free name -> stored name map.
 */
export function checkWeights(config: BackboneConfig, source: WeightSource, configFile?: string): Map<string, string> {
  const names = canonicalNames(source.entries.keys(), source.path);
  const entries = new Map([...names].map(([canonical, stored]) => [canonical, source.entries.get(stored)!]));
  verifyBackboneWeights(entries, config, configFile, source.path);
  return names;
}

/** Reads the parameters group by group, so at most one layer's raw tensors exist besides the result. */
async function readParams(
  source: WeightSource,
  names: Map<string, string>,
  layers: number,
  owned: boolean,
): Promise<BackboneParams> {
  const built: ParamTree[] = [];
  const group = async <T extends ParamTree>(prefix: string, build: (r: TorchWeightReader) => T): Promise<T> => {
    const raw = new Map<string, tf.Tensor>();
    try {
      for (const [canonical, stored] of names) {
        if (canonical.startsWith(prefix) && !isIgnoredWeight(canonical))
          raw.set(canonical, await source.readTensor(stored));
      }
      const params = build(new TorchWeightReader(raw, source.path));
      built.push(params);
      return params;
    } finally {
      if (owned) for (const t of raw.values()) t.dispose();
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
