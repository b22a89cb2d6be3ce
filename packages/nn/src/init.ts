import * as tf from '@tensorflow/tfjs';
import type { AttentionParams } from './attention.js';
import type { BertLayerParams } from './bert-layer.js';
import type { LayerNormParams } from './layer-norm.js';
import type { LinearParams } from './linear.js';

/**
 * Initialisers matching PyTorch's defaults (what the official code's adapter inner layers and task
 * heads get): nn.Linear weight and bias ~ U(±1/√fan_in), LayerNorm γ = 1, β = 0.
 * `seed` makes a draw reproducible; each call with the same seed gives the same values.
 */
export function torchDefaultLinear(inDim: number, outDim: number, seed?: number): LinearParams {
  const bound = 1 / Math.sqrt(inDim);
  return {
    weight: tf.randomUniform([inDim, outDim], -bound, bound, 'float32', seed),
    bias: tf.randomUniform([outDim], -bound, bound, 'float32', seed === undefined ? undefined : seed + 1),
  };
}

/** Linear layer with weight ~ N(0, std²) and zero bias (K-Adapter's down/up projections, std 0.0002). */
export function normalLinear(inDim: number, outDim: number, std: number, seed?: number): LinearParams {
  return { weight: tf.randomNormal([inDim, outDim], 0, std, 'float32', seed), bias: tf.zeros([outDim]) };
}

export function unitLayerNorm(dim: number): LayerNormParams {
  return { weight: tf.ones([dim]), bias: tf.zeros([dim]) };
}

/** A seed sequence so that one base seed initialises a whole module reproducibly. */
export function seedSequence(base: number | undefined): () => number | undefined {
  let next = base;
  return () => {
    if (next === undefined) return undefined;
    const s = next;
    next += 2;
    return s;
  };
}

export function torchDefaultAttention(hidden: number, nextSeed: () => number | undefined): AttentionParams {
  return {
    query: torchDefaultLinear(hidden, hidden, nextSeed()),
    key: torchDefaultLinear(hidden, hidden, nextSeed()),
    value: torchDefaultLinear(hidden, hidden, nextSeed()),
    output: torchDefaultLinear(hidden, hidden, nextSeed()),
    outputLayerNorm: unitLayerNorm(hidden),
  };
}

export function torchDefaultBertLayer(
  hidden: number,
  intermediate: number,
  nextSeed: () => number | undefined,
): BertLayerParams {
  return {
    attention: torchDefaultAttention(hidden, nextSeed),
    intermediate: torchDefaultLinear(hidden, intermediate, nextSeed()),
    output: torchDefaultLinear(intermediate, hidden, nextSeed()),
    outputLayerNorm: unitLayerNorm(hidden),
  };
}
