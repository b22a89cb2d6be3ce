import { seedSequence, torchDefaultBertLayer, unitLayerNorm } from '@kadapter/nn';
import * as tf from '@tensorflow/tfjs';
import type { BackboneConfig } from './config.js';
import { TransformerBackbone, type TransformerBackboneOptions } from './encoder.js';

/**
 * An encoder with random weights (embeddings ~ N(0, 0.02²), layers with PyTorch's default
 * Linear init, LayerNorm 1/0): for benchmarks and tests that need a model of a given size
 * without a checkpoint. `seed` makes it reproducible.
 */
export function randomBackbone(
  config: BackboneConfig,
  options: TransformerBackboneOptions & { seed?: number } = {},
): TransformerBackbone {
  const next = seedSequence(options.seed);
  const h = config.hiddenSize;
  const table = (rows: number) => tf.randomNormal([rows, h], 0, 0.02, 'float32', next()) as tf.Tensor2D;
  return new TransformerBackbone(
    config,
    {
      wordEmbeddings: table(config.vocabSize),
      positionEmbeddings: table(config.maxPositionEmbeddings),
      tokenTypeEmbeddings: table(config.typeVocabSize),
      embeddingsLayerNorm: unitLayerNorm(h),
      layers: Array.from({ length: config.numHiddenLayers }, () =>
        torchDefaultBertLayer(h, config.intermediateSize, next),
      ),
    },
    {
      name: `random-${config.modelType}`,
      revision: `random:${options.seed ?? `${Date.now()}-${Math.random()}`}`,
      ...options,
    },
  );
}
