import { ParamSet } from '@kadapter/nn';
import type { BackboneConfig } from './config.js';
import { TransformerBackbone, type TransformerBackboneOptions } from './encoder.js';
import { backboneDef } from './spec.js';

/**
 * An encoder with random weights (embeddings ~ N(0, 0.02²), layers with PyTorch's default
 * Linear init, LayerNorm 1/0): for benchmarks and tests that need a model of a given size
 * without a checkpoint. Frozen, like a loaded one. `seed` makes it reproducible.
 */
export function randomBackbone(
  config: BackboneConfig,
  options: TransformerBackboneOptions & { seed?: number } = {},
): TransformerBackbone {
  const set = ParamSet.create(backboneDef(config), {
    trainable: false,
    ...(options.seed === undefined ? {} : { seed: options.seed }),
  });
  return new TransformerBackbone(config, set, {
    name: `random-${config.modelType}`,
    revision: `random:${options.seed ?? `${Date.now()}-${Math.random()}`}`,
    ...options,
  });
}
