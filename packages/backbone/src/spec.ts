import { ConfigError } from '@kadapter/core';
import {
  bertLayerDef,
  embeddingDef,
  layerNormDef,
  list,
  prefixed,
  record,
  type Shaped,
  verifyWeights,
  type WeightSpec,
  weightSpec,
} from '@kadapter/nn';
import type { BackboneConfig } from './config.js';
import { isIgnoredWeight } from './weight-names.js';

/**
 * The encoder's parameters (prefix-free PyTorch names: `embeddings.*`, `encoder.layer.N.*`):
 * embeddings ~ N(0, 0.02²), BERT layers with PyTorch's default init (used by `randomBackbone`).
 */
export function backboneDef(c: BackboneConfig) {
  const h = c.hiddenSize;
  return record({
    embeddings: record({
      word_embeddings: embeddingDef(c.vocabSize, h),
      position_embeddings: embeddingDef(c.maxPositionEmbeddings, h),
      token_type_embeddings: embeddingDef(c.typeVocabSize, h),
      LayerNorm: layerNormDef(h),
    }),
    layers: prefixed(
      'encoder.layer',
      list(c.numHiddenLayers, () => bertLayerDef(h, c.intermediateSize)),
    ),
  });
}

export type BackboneDef = ReturnType<typeof backboneDef>;

/** Every tensor of the encoder (prefix-free PyTorch names, PyTorch shapes). */
export function backboneSpec(c: BackboneConfig): WeightSpec {
  return weightSpec(backboneDef(c));
}

/**
 * Checks the config against the stored tensors (prefix-free names) and then every tensor by name
 * and shape. A size that disagrees with the weights is a ConfigError naming the config field and
 * the tensor; a missing, unexpected or misshaped tensor is a WeightsError/ShapeError naming it.
 */
export function verifyBackboneWeights(
  entries: ReadonlyMap<string, Shaped>,
  config: BackboneConfig,
  configFile: string | undefined,
  weightsFile: string,
): void {
  const check = (tensor: string, dim: number, field: string, expected: number) => {
    const shape = entries.get(tensor)?.shape;
    if (shape === undefined || shape.length <= dim) return; // reported by verifyWeights below
    if (shape[dim] !== expected) {
      throw new ConfigError(
        `${field} is ${expected} but ${weightsFile} tensor '${tensor}' has shape [${shape}] (dimension ${dim} = ${shape[dim]})`,
        { file: configFile, field, tensor },
      );
    }
  };
  check('embeddings.word_embeddings.weight', 1, 'hidden_size', config.hiddenSize);
  check('embeddings.word_embeddings.weight', 0, 'vocab_size', config.vocabSize);
  check('embeddings.position_embeddings.weight', 0, 'max_position_embeddings', config.maxPositionEmbeddings);
  check('embeddings.token_type_embeddings.weight', 0, 'type_vocab_size', config.typeVocabSize);
  check('encoder.layer.0.intermediate.dense.weight', 0, 'intermediate_size', config.intermediateSize);
  const layersInWeights = countLayers(entries.keys());
  if (layersInWeights !== config.numHiddenLayers) {
    throw new ConfigError(
      `num_hidden_layers is ${config.numHiddenLayers} but ${weightsFile} holds ${layersInWeights} encoder layers`,
      { file: configFile, field: 'num_hidden_layers' },
    );
  }
  verifyWeights(entries, backboneSpec(config), weightsFile, isIgnoredWeight);
}

function countLayers(names: Iterable<string>): number {
  let count = 0;
  for (const name of names) {
    const m = /^encoder\.layer\.(\d+)\./.exec(name);
    if (m) count = Math.max(count, Number(m[1]) + 1);
  }
  return count;
}
