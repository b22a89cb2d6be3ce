import { ConfigError } from '@kadapter/core';
import { bertLayerSpec, type Shaped, verifyWeights, type WeightSpec } from '@kadapter/nn';
import type { BackboneConfig } from './config.js';
import { isIgnoredWeight } from './weight-names.js';

/** Every tensor of the encoder (prefix-free PyTorch names, PyTorch shapes). */
export function backboneSpec(c: BackboneConfig): WeightSpec {
  const h = c.hiddenSize;
  const spec: WeightSpec = new Map<string, readonly number[]>([
    ['embeddings.word_embeddings.weight', [c.vocabSize, h]],
    ['embeddings.position_embeddings.weight', [c.maxPositionEmbeddings, h]],
    ['embeddings.token_type_embeddings.weight', [c.typeVocabSize, h]],
    ['embeddings.LayerNorm.weight', [h]],
    ['embeddings.LayerNorm.bias', [h]],
  ]);
  for (let i = 0; i < c.numHiddenLayers; i++) {
    for (const [name, shape] of bertLayerSpec(layerPrefix(i), h, c.intermediateSize)) spec.set(name, shape);
  }
  return spec;
}

export function layerPrefix(i: number): string {
  return `encoder.layer.${i}.`;
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
  check(`${layerPrefix(0)}intermediate.dense.weight`, 0, 'intermediate_size', config.intermediateSize);
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
