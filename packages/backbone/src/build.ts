import { type NamedTensors, ParamSet, type TensorSource } from '@kadapter/nn';
import type * as tf from '@tensorflow/tfjs';
import type { BackboneConfig } from './config.js';
import { type TransformerBackboneOptions, TransformerBackbone } from './encoder.js';
import { backboneDef, verifyBackboneWeights } from './spec.js';
import { canonicalNames, isIgnoredWeight } from './weight-names.js';

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
  const source: TensorSource = {
    path: options.source ?? 'weights',
    entries: named,
    readTensor: async (name) => (named.get(name) as tf.Tensor).clone(),
  };
  return buildBackbone(config, source, options);
}

export interface BuildOptions extends TransformerBackboneOptions {
  /** config.json path, named in config errors */
  configFile?: string;
}

/** Verifies the source against the config, then reads it one tensor at a time. */
export async function buildBackbone(
  config: BackboneConfig,
  source: TensorSource,
  options: BuildOptions = {},
): Promise<TransformerBackbone> {
  const names = checkWeights(config, source, options.configFile);
  const canonical: TensorSource = {
    path: source.path,
    entries: new Map([...names].map(([c, stored]) => [c, source.entries.get(stored)!])),
    readTensor: (name) => source.readTensor(names.get(name) ?? name),
  };
  const set = await ParamSet.read(backboneDef(config), canonical, { ignore: isIgnoredWeight });
  return new TransformerBackbone(config, set, options);
}

/**
 * Checks every tensor of `source` by name and shape against the config (reading no data) and
 * returns the prefix-free name -> stored name map.
 */
export function checkWeights(config: BackboneConfig, source: TensorSource, configFile?: string): Map<string, string> {
  const names = canonicalNames(source.entries.keys(), source.path);
  const entries = new Map([...names].map(([canonical, stored]) => [canonical, source.entries.get(stored)!]));
  verifyBackboneWeights(entries, config, configFile, source.path);
  return names;
}
