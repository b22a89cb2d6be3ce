import { type BackboneInfo, ConfigError, InputError } from '@kadapter/core';
import {
  type Backbone,
  type BackboneInput,
  type BackboneOutput,
  type EncodeOptions,
  type NamedTensors,
  ParamModule,
  type ParamSet,
  type SequenceData,
  tfOps,
} from '@kadapter/nn';
import * as tf from '@tensorflow/tfjs';
import type { BackboneConfig } from './config.js';
import { type EncoderOptions, encoderForward } from './forward.js';
import { checkSequenceData, prepareInput } from './input.js';
import type { PositionIdMode } from '@kadapter/nn';
import type { BackboneDef } from './spec.js';

export interface TransformerBackboneOptions {
  /** RoBERTa position numbering (default `legacy`, the code K-Adapter vendored) */
  positionIds?: PositionIdMode;
  /** name, Hub id, revision and content hash reported in `info` */
  name?: string;
  hubId?: string;
  revision?: string;
  contentHash?: string;
  /**
   * Dropout of the embeddings and every layer while training, replacing the config's
   * hidden_dropout_prob and attention_probs_dropout_prob (e.g. 0 for deterministic checks).
   */
  dropout?: number;
}

/** What a backbone with this config reports about itself. */
export function backboneInfo(
  config: BackboneConfig,
  options: Partial<Pick<BackboneInfo, 'name' | 'hubId' | 'revision' | 'contentHash'>> = {},
): BackboneInfo {
  return {
    name: options.name ?? config.modelType,
    ...(options.hubId === undefined ? {} : { hubId: options.hubId }),
    ...(options.revision === undefined ? {} : { revision: options.revision }),
    ...(options.contentHash === undefined ? {} : { contentHash: options.contentHash }),
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
export class TransformerBackbone extends ParamModule<BackboneDef> implements Backbone {
  readonly info: BackboneInfo;
  readonly positionIdMode: PositionIdMode;

  /** Takes ownership of `params` (disposed by `dispose()`). */
  readonly config: BackboneConfig;

  constructor(config: BackboneConfig, params: ParamSet<BackboneDef>, options: TransformerBackboneOptions = {}) {
    super(params);
    const d = options.dropout;
    this.config = d === undefined ? config : { ...config, hiddenDropoutProb: d, attentionProbsDropoutProb: d };
    this.positionIdMode = options.positionIds ?? 'legacy';
    this.info = backboneInfo(config, options);
  }

  /** True until `unfreeze()`. */
  get frozen(): boolean {
    return !this.trainable;
  }

  /**
   * Makes the encoder trainable (as the official fine-tuning scripts do, kadapter-spec.md §0):
   * its weights become tf.Variables and `training: true` turns dropout on. Irreversible.
   */
  override unfreeze(): void {
    if (this.trainable) return;
    const { hiddenDropoutProb: hidden, attentionProbsDropoutProb: attention } = this.config;
    if (hidden !== attention) {
      throw new ConfigError(
        `training needs hidden_dropout_prob (${hidden}) == attention_probs_dropout_prob (${attention}): the encoder layer applies one rate to both`,
        { field: 'attention_probs_dropout_prob' },
      );
    }
    this.set.unfreeze();
  }

  /**
   * Runs the encoder. `hiddenStates[0]` is the embedding output, `hiddenStates[k]` the output of
   * layer k; with `taps`, only those entries are kept (the others are disposed as soon as the next
   * layer has read them) and `hiddenStates[numLayers]` is present only when tapped. `last` is
   * always returned (the same tensor as `hiddenStates[numLayers]` when that is tapped).
   * The caller owns every returned tensor.
   */
  encode(input: BackboneInput, options: EncodeOptions = {}): BackboneOutput {
    const keep = this.tapSet(options.taps);
    const prepared = prepareInput(input, this.config, this.positionIdMode);
    try {
      const states = encoderForward(tfOps, this.p, prepared, {
        heads: this.config.numAttentionHeads,
        layerNormEps: this.config.layerNormEps,
        dropout: this.config.hiddenDropoutProb,
        training: options.training === true && this.trainable,
        paddingIdx: paddingRows(this.config, this.positionIdMode),
        ...(options.random ? { random: options.random } : {}),
        keep,
      });
      return {
        hiddenStates: states.hiddenStates as Array<tf.Tensor3D | undefined>,
        last: states.last as tf.Tensor3D,
        mask: prepared.mask,
      };
    } catch (err) {
      prepared.mask.dispose();
      throw err;
    } finally {
      tf.dispose([prepared.inputIds, prepared.positionIds, prepared.tokenTypeIds]);
    }
  }

  validateInput(data: SequenceData, file?: string): void {
    checkSequenceData(data, this.config, file);
  }

  /**
   * The weights as PyTorch-named tensors (`<prefix>embeddings.*`, `<prefix>encoder.layer.N.*`,
   * [out, in] layout), e.g. to save a fine-tuned backbone. New tensors the caller disposes.
   */
  namedWeights(prefix = `${this.config.modelType}.`): NamedTensors {
    return new Map([...this.weights()].map(([name, t]) => [`${prefix}${name}`, t]));
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

/**
 * The embedding rows that get no gradient (`nn.Embedding(padding_idx=...)`). The code K-Adapter
 * vendored (pytorch_transformers 1.2, position ids `legacy`) builds RoBERTa's embeddings with
 * BERT's, so the word table's padding_idx is 0 — RoBERTa's `<s>` — and positions have none; modern
 * Hugging Face RoBERTa (`hf`) uses the pad id for both tables, BERT its pad id for words.
 */
function paddingRows(config: BackboneConfig, mode: PositionIdMode): EncoderOptions['paddingIdx'] {
  if (mode === 'legacy') return { word: 0 };
  return config.modelType === 'roberta'
    ? { word: config.padTokenId, position: config.padTokenId }
    : { word: config.padTokenId };
}
