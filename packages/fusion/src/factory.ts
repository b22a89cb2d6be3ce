import type { Fusion, NamedTensors } from '@kadapter/nn';
import { type ParamSetOptions, verifyWeights } from '@kadapter/nn';
import type * as tf from '@tensorflow/tfjs';
import { AddFusion } from './add.js';
import { AttentionFusion } from './attention.js';
import { ConcatFusion } from './concat.js';
import type { FusionConfig } from './config.js';

/** A fusion that can be saved: its config and PyTorch-named weights. */
export interface SavableFusion extends Fusion {
  readonly config: FusionConfig;
  weights(): NamedTensors;
  /** the variables under their PyTorch names (tfjs layout: linear weights are [in, out]) */
  namedVariables(): Map<string, tf.Variable>;
}

/** A freshly initialised fusion of the configured kind. */
export function createFusion(config: FusionConfig, options: ParamSetOptions & { seed?: number } = {}): SavableFusion {
  switch (config.kind) {
    case 'concat':
      return ConcatFusion.create(config, options);
    case 'add':
      return new AddFusion(config);
    case 'attention':
      return AttentionFusion.create(config, options);
  }
}

/**
 * A fusion of the configured kind from verified PyTorch-named weights (`source` names the file in
 * errors); `add` has none, so any tensor given for it is refused.
 */
export function fusionFromWeights(
  config: FusionConfig,
  named: ReadonlyMap<string, tf.Tensor>,
  source: string,
  options: ParamSetOptions = {},
): SavableFusion {
  switch (config.kind) {
    case 'concat':
      return ConcatFusion.fromWeights(config, named, source, options);
    case 'add':
      verifyWeights(named, new Map(), source); // it has no parameters: any tensor is unexpected
      return new AddFusion(config);
    case 'attention':
      return AttentionFusion.fromWeights(config, named, source, options);
  }
}
