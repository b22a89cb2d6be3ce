import type { AdapterConfig, BackboneInfo } from '@kadapter/core';
import type { BackboneOutput } from '@kadapter/nn';
import { tinyAdapterConfig } from '@kadapter/demo-data';
import { fixtureWeights } from '@kadapter/test-fixtures';
import { TINY_BACKBONE_INFO } from '@kadapter/test-utils';
import * as tf from '@tensorflow/tfjs';

/** Adapter sizes of the tiny fixture (config.json `kadapter_tiny` block and README). */
export const TINY_CONFIG: AdapterConfig = tinyAdapterConfig();

export const TINY_HIDDEN = 64;

/** A BackboneOutput built from the fixture's `core.hidden_states.*` (no backbone needed). */
export function coreBackboneOutput(v: Map<string, tf.Tensor>): BackboneOutput {
  const hiddenStates = [0, 1, 2, 3, 4].map((i) => v.get(`core.hidden_states.${i}`) as tf.Tensor3D);
  return {
    hiddenStates,
    last: hiddenStates[4] as tf.Tensor3D,
    mask: tf.cast(v.get('core.attention_mask') as tf.Tensor, 'float32') as tf.Tensor2D,
  };
}

/** The `adapter.*` tensors of an adapter fixture (`fac-adapter` or `lin-adapter`). */
export function adapterTensors(which: 'fac-adapter' | 'lin-adapter'): Promise<Map<string, tf.Tensor>> {
  return fixtureWeights([which, 'model.safetensors'], 'adapter.');
}

/** A content hash the tests record for the tiny backbone (not the real one: these tests never load it). */
export const TINY_HASH = `sha256:${'1'.repeat(64)}`;

/** What the tiny fixture backbone reports about itself (content hash as recorded in these tests). */
export const TINY_INFO: BackboneInfo = { ...TINY_BACKBONE_INFO, contentHash: TINY_HASH };
