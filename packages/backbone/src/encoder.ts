import { type BackboneInfo, ConfigError, InputError } from '@kadapter/core';
import { type Backbone, type BackboneInput, type BackboneOutput, type EncodeOptions, type NamedTensors } from '@kadapter/nn';
import {
  additiveMask,
  type BertLayerParams,
  bertLayer,
  disposeTree,
  dropout,
  embedding,
  type LayerNormParams,
  layerNorm,
  type ParamTree,
  TorchWeightWriter,
  toVariables,
  treeVariables,
} from '@kadapter/nn';
import * as tf from '@tensorflow/tfjs';
import type { BackboneConfig } from './config.js';
import { prepareInput } from './input.js';
import type { PositionIdMode } from './positions.js';
import { layerPrefix } from './spec.js';

/** Encoder parameters in tfjs layout (linear weights [in, out]). */
export interface BackboneParams {
  wordEmbeddings: tf.Tensor2D;
  positionEmbeddings: tf.Tensor2D;
  tokenTypeEmbeddings: tf.Tensor2D;
  embeddingsLayerNorm: LayerNormParams;
  layers: BertLayerParams[];
}

export interface TransformerBackboneOptions {
  /** RoBERTa position numbering (default `legacy`, the code K-Adapter vendored) */
  positionIds?: PositionIdMode;
  /** name and revision reported in `info` */
  name?: string;
  revision?: string;
}

/** The params as a generic tree (interfaces lack the index signature ParamTree's objects have). */
function asTree(params: BackboneParams): ParamTree {
  return params as unknown as ParamTree;
}

/** What a backbone with this config reports about itself. */
export function backboneInfo(config: BackboneConfig, options: { name?: string; revision?: string } = {}): BackboneInfo {
  return {
    name: options.name ?? config.modelType,
    ...(options.revision === undefined ? {} : { revision: options.revision }),
    modelType: config.modelType,
    hiddenSize: config.hiddenSize,
    numLayers: config.numHiddenLayers,
    numHeads: config.numAttentionHeads,
    vocabSize: config.vocabSize,
    maxPositions: config.maxPositionEmbeddings,
  };
}

/**
 * A post-LN RoBERTa/BERT encoder (pytorch_transformers 1.2 `RobertaModel`/`BertModel` without the
 * pooler) returning every hidden state. Frozen by default: its weights are plain tensors, so it
 * has no trainable variables and never runs dropout. `unfreeze()` turns them into variables;
 * from then on `encode(..., { training: true })` runs the config's dropout.
 */
export class TransformerBackbone implements Backbone {
  readonly info: BackboneInfo;
  readonly positionIdMode: PositionIdMode;
  private params: BackboneParams;
  private trainable = false;

  /** Takes ownership of `params` (disposed by `dispose()`). */
  constructor(
    readonly config: BackboneConfig,
    params: BackboneParams,
    options: TransformerBackboneOptions = {},
  ) {
    this.params = params;
    this.positionIdMode = options.positionIds ?? 'legacy';
    this.info = backboneInfo(config, options);
  }

  /** False until `unfreeze()`. */
  get frozen(): boolean {
    return !this.trainable;
  }

  /**
   * Makes the encoder trainable (as the official fine-tuning scripts do, kadapter-spec.md §0):
   * its weights become tf.Variables and `training: true` turns dropout on. Irreversible.
   */
  unfreeze(): void {
    if (this.trainable) return;
    const { hiddenDropoutProb: hidden, attentionProbsDropoutProb: attention } = this.config;
    if (hidden !== attention) {
      throw new ConfigError(
        `training needs hidden_dropout_prob (${hidden}) == attention_probs_dropout_prob (${attention}): the encoder layer applies one rate to both`,
        { field: 'attention_probs_dropout_prob' },
      );
    }
    this.params = toVariables(asTree(this.params)) as unknown as BackboneParams;
    this.trainable = true;
  }

  trainableVariables(): tf.Variable[] {
    return this.trainable ? treeVariables(asTree(this.params)) : [];
  }

  /**
   * Runs the encoder. `hiddenStates[0]` is the embedding output, `hiddenStates[k]` the output of
   * layer k; with `taps`, only those entries are kept (the others are disposed as soon as the next
   * layer has read them) and `hiddenStates[numLayers]` is present only when tapped. `last` is
   * always returned (the same tensor as `hiddenStates[numLayers]` when that is tapped).
   * The caller owns every returned tensor.
   */
  encode(input: BackboneInput, options: EncodeOptions = {}): BackboneOutput {
    const n = this.config.numHiddenLayers;
    const keep = this.tapSet(options.taps);
    const training = options.training === true && this.trainable;
    const rate = this.config.hiddenDropoutProb;
    const prepared = prepareInput(input, this.config, this.positionIdMode);
    const p = this.params;
    const extended = additiveMask(prepared.mask);
    try {
      let h = tf.tidy(() => {
        const sum = tf.add(
          tf.add(embedding(p.wordEmbeddings, prepared.inputIds), embedding(p.positionEmbeddings, prepared.positionIds)),
          embedding(p.tokenTypeEmbeddings, prepared.tokenTypeIds),
        ) as tf.Tensor3D;
        return dropout(layerNorm(sum, p.embeddingsLayerNorm, this.config.layerNormEps), rate, training);
      });
      const hiddenStates: Array<tf.Tensor3D | undefined> = new Array(n + 1).fill(undefined);
      if (keep(0)) hiddenStates[0] = h;
      const layerOptions = {
        heads: this.config.numAttentionHeads,
        layerNormEps: this.config.layerNormEps,
        dropout: rate,
        training,
        mask: extended,
      };
      for (let k = 1; k <= n; k++) {
        const next = bertLayer(h, p.layers[k - 1] as BertLayerParams, layerOptions);
        if (!keep(k - 1)) h.dispose();
        h = next;
        if (keep(k)) hiddenStates[k] = h;
      }
      return { hiddenStates, last: h, mask: prepared.mask };
    } catch (err) {
      prepared.mask.dispose();
      throw err;
    } finally {
      tf.dispose([extended, prepared.inputIds, prepared.positionIds, prepared.tokenTypeIds]);
    }
  }

  /**
   * The weights as PyTorch-named tensors (`<prefix>embeddings.*`, `<prefix>encoder.layer.N.*`,
   * [out, in] layout), e.g. to save a fine-tuned backbone. New tensors the caller disposes.
   */
  namedWeights(prefix = `${this.config.modelType}.`): NamedTensors {
    const w = new TorchWeightWriter();
    const p = this.params;
    w.tensor(`${prefix}embeddings.word_embeddings.weight`, p.wordEmbeddings);
    w.tensor(`${prefix}embeddings.position_embeddings.weight`, p.positionEmbeddings);
    w.tensor(`${prefix}embeddings.token_type_embeddings.weight`, p.tokenTypeEmbeddings);
    w.layerNorm(`${prefix}embeddings.LayerNorm.`, p.embeddingsLayerNorm);
    p.layers.forEach((layer, i) => {
      w.bertLayer(`${prefix}${layerPrefix(i)}`, layer);
    });
    return w.named;
  }

  dispose(): void {
    disposeTree(asTree(this.params));
  }

  private tapSet(taps: readonly number[] | undefined): (k: number) => boolean {
    if (taps === undefined) return () => true;
    const n = this.config.numHiddenLayers;
    for (const t of taps) {
      if (!Number.isInteger(t) || t < 0 || t > n) {
        throw new InputError(`tap ${t} is not a hidden-state index in [0, ${n}]`, { field: 'taps' });
      }
    }
    const set = new Set(taps);
    return (k) => set.has(k);
  }
}
