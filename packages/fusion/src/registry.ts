import { parseConfig, Registry } from '@kadapter/core';
import { type CreateParamsOptions, ParamSet, type ReadParamsOptions } from '@kadapter/nn';
import type * as tf from '@tensorflow/tfjs';
import { addFusion } from './add.js';
import { attentionFusion } from './attention.js';
import { concatFusion } from './concat.js';
import { FusionModule } from './fusion-module.js';
import type { AnyFusionKind, FusionConfigBase, FusionConfigOf } from './kind.js';

const kinds = new Registry<AnyFusionKind>('fusion kind');
for (const k of [concatFusion, addFusion, attentionFusion]) kinds.register(k);

/** Adds a fusion kind (e.g. from a third-party package); setups and config files can then name it. */
export function registerFusion(kind: AnyFusionKind, options: { replace?: boolean } = {}): void {
  kinds.register(kind, options);
}

/** The registered kind `name`; an unknown name is a ConfigError listing the known ones. */
export function fusionKind(name: string, source?: string): AnyFusionKind {
  return kinds.get(name, source);
}

/** Names of the registered fusion kinds. */
export function fusionKinds(): string[] {
  return kinds.names();
}

/** A fusion config from a file or the command line, checked against the schema of the kind it names. */
export function parseFusionConfig(config: unknown, source = 'fusion config', prefix?: string): FusionConfigBase {
  return kinds.parse(config, source, prefix) as FusionConfigBase;
}

/**
 * A freshly initialised fusion of `kind` (PyTorch default init unless the kind says otherwise),
 * trainable unless told otherwise. For a config read from a file: `createFusion(fusionKind(c.kind), c)`.
 */
export function createFusion<K extends AnyFusionKind>(
  kind: K,
  config: FusionConfigOf<K>,
  options: CreateParamsOptions = {},
): FusionModule<K> {
  const c = parseConfig(kind.schema, config, `${kind.kind} fusion`) as FusionConfigOf<K>;
  return new FusionModule(kind, c, ParamSet.create(kind.params(c), options));
}

/**
 * A fusion of `kind` from official-named tensors (`task_dense_<n>.*`, `task_dense.*`, ...),
 * verified: one error names every missing, extra or misshaped tensor (a parameter-free fusion
 * refuses any tensor), with `source` as the file. Frozen unless `trainable`.
 */
export function fusionFromWeights<K extends AnyFusionKind>(
  kind: K,
  config: FusionConfigOf<K>,
  named: ReadonlyMap<string, tf.Tensor>,
  source: string,
  options: ReadParamsOptions = {},
): FusionModule<K> {
  const c = parseConfig(kind.schema, config, source) as FusionConfigOf<K>;
  return new FusionModule(kind, c, ParamSet.fromWeights(kind.params(c), named, source, options));
}
