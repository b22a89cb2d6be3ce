import { parseConfig, Registry } from '@kadapter/core';
import { type CreateParamsOptions, ParamSet, type ReadParamsOptions } from '@kadapter/nn';
import type * as tf from '@tensorflow/tfjs';
import { entityTyping } from './entity-typing.js';
import { facPretraining } from './fac-pretraining.js';
import { HeadModule } from './head-module.js';
import type { AnyHeadKind, ConfigOf, HeadConfigBase } from './kind.js';
import { linPretraining } from './lin-pretraining.js';
import { multipleChoice } from './multiple-choice.js';
import { relationClassification } from './relation-classification.js';
import { spanExtraction } from './span-extraction.js';

const kinds = new Registry<AnyHeadKind>('head kind');
for (const k of [
  entityTyping,
  relationClassification,
  multipleChoice,
  spanExtraction,
  facPretraining,
  linPretraining,
]) {
  kinds.register(k);
}

/** Adds a head kind (e.g. from a third-party package); setups and config files can then name it. */
export function registerHead(kind: AnyHeadKind, options: { replace?: boolean } = {}): void {
  kinds.register(kind, options);
}

/** The registered kind `name`; an unknown name is a ConfigError listing the known ones. */
export function headKind(name: string, source?: string): AnyHeadKind {
  return kinds.get(name, source);
}

/** Names of the registered head kinds. */
export function headKinds(): string[] {
  return kinds.names();
}

/**
 * A head config from a file or the command line, checked against the schema of the kind it
 * names; errors name `source` and the field (under `prefix`, e.g. `heads.cosmosqa`).
 */
export function parseHeadConfig(config: unknown, source = 'head config', prefix?: string): HeadConfigBase {
  return kinds.parse(config, source, prefix) as HeadConfigBase;
}

/**
 * A freshly initialised head of `kind` (PyTorch default init, as the official heads), trainable
 * unless told otherwise. For a config read from a file: `createHead(headKind(c.kind), c)`.
 */
export function createHead<K extends AnyHeadKind>(
  kind: K,
  config: ConfigOf<K>,
  options: CreateParamsOptions = {},
): HeadModule<K> {
  const c = parseConfig(kind.schema, config, `${kind.kind} head`) as ConfigOf<K>;
  return new HeadModule(kind, c, ParamSet.create(kind.params(c), options));
}

/**
 * A head of `kind` from official-named tensors (`dense.*`, `out_proj.*`, `classifier.*`,
 * `com_dense.*`, `self_attention.*`, `qa_outputs.*`), verified: one error names every missing,
 * extra or misshaped tensor, with `source` as the file. Frozen unless `trainable`.
 */
export function headFromWeights<K extends AnyHeadKind>(
  kind: K,
  config: ConfigOf<K>,
  named: ReadonlyMap<string, tf.Tensor>,
  source: string,
  options: ReadParamsOptions = {},
): HeadModule<K> {
  const c = parseConfig(kind.schema, config, source) as ConfigOf<K>;
  return new HeadModule(kind, c, ParamSet.fromWeights(kind.params(c), named, source, options));
}
