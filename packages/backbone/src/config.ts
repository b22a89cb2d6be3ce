import { ConfigError } from '@kadapter/core';

/** The Hugging Face config fields this encoder uses (camelCase), validated. */
export interface BackboneConfig {
  modelType: 'roberta' | 'bert';
  vocabSize: number;
  hiddenSize: number;
  numHiddenLayers: number;
  numAttentionHeads: number;
  intermediateSize: number;
  /** only "gelu" (exact erf GELU) is supported */
  hiddenAct: 'gelu';
  layerNormEps: number;
  maxPositionEmbeddings: number;
  typeVocabSize: number;
  padTokenId: number;
  hiddenDropoutProb: number;
  attentionProbsDropoutProb: number;
}

/** Hugging Face defaults for fields a config.json may leave out (BertConfig / RobertaConfig). */
const DEFAULTS = {
  roberta: { pad_token_id: 1, type_vocab_size: 1 },
  bert: { pad_token_id: 0, type_vocab_size: 2 },
} as const;

/**
 * Validates a parsed `config.json` object. Every problem is a ConfigError naming the field (and
 * `file` when given). Unknown fields are ignored; fields with a Hugging Face default may be absent.
 */
export function parseBackboneConfig(json: unknown, file?: string): BackboneConfig {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new ConfigError('config is not a JSON object', { file });
  }
  const raw = json as Record<string, unknown>;
  const fail = (field: string, message: string): never => {
    throw new ConfigError(message, { file, field });
  };
  const modelType = raw.model_type;
  if (modelType !== 'roberta' && modelType !== 'bert') {
    fail('model_type', `model_type ${JSON.stringify(modelType)} is not supported; expected "roberta" or "bert"`);
  }
  const type = modelType as 'roberta' | 'bert';
  const int = (field: string, min: number, fallback?: number): number => {
    const v = raw[field] ?? fallback;
    if (v === undefined) return fail(field, `${field} is required`);
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min) {
      return fail(field, `${field} must be an integer >= ${min}, got ${JSON.stringify(v)}`);
    }
    return v;
  };
  const real = (field: string, fallback: number, ok: (v: number) => boolean, range: string): number => {
    const v = raw[field] ?? fallback;
    if (typeof v !== 'number' || !Number.isFinite(v) || !ok(v)) {
      return fail(field, `${field} must be a number ${range}, got ${JSON.stringify(v)}`);
    }
    return v;
  };
  const hiddenAct = raw.hidden_act ?? 'gelu';
  if (hiddenAct !== 'gelu') {
    fail('hidden_act', `hidden_act ${JSON.stringify(hiddenAct)} is not supported; only "gelu" (exact erf) is`);
  }
  const positionType = raw.position_embedding_type ?? 'absolute';
  if (positionType !== 'absolute') {
    fail('position_embedding_type', `position_embedding_type ${JSON.stringify(positionType)} is not supported`);
  }
  const config: BackboneConfig = {
    modelType: type,
    vocabSize: int('vocab_size', 1),
    hiddenSize: int('hidden_size', 1),
    numHiddenLayers: int('num_hidden_layers', 1),
    numAttentionHeads: int('num_attention_heads', 1),
    intermediateSize: int('intermediate_size', 1),
    hiddenAct: 'gelu',
    layerNormEps: real('layer_norm_eps', 1e-12, (v) => v > 0, '> 0'),
    maxPositionEmbeddings: int('max_position_embeddings', 1),
    typeVocabSize: int('type_vocab_size', 1, DEFAULTS[type].type_vocab_size),
    padTokenId: int('pad_token_id', 0, DEFAULTS[type].pad_token_id),
    hiddenDropoutProb: real('hidden_dropout_prob', 0.1, (v) => v >= 0 && v < 1, 'in [0, 1)'),
    attentionProbsDropoutProb: real('attention_probs_dropout_prob', 0.1, (v) => v >= 0 && v < 1, 'in [0, 1)'),
  };
  if (config.hiddenSize % config.numAttentionHeads !== 0) {
    fail(
      'num_attention_heads',
      `hidden_size ${config.hiddenSize} is not divisible by num_attention_heads ${config.numAttentionHeads}`,
    );
  }
  if (config.padTokenId >= config.vocabSize) {
    fail(
      'pad_token_id',
      `pad_token_id ${config.padTokenId} is outside the vocabulary (vocab_size ${config.vocabSize})`,
    );
  }
  if (firstPosition(config) >= config.maxPositionEmbeddings) {
    fail('max_position_embeddings', `max_position_embeddings ${config.maxPositionEmbeddings} leaves no position`);
  }
  return config;
}

/** Position id of the first token: RoBERTa numbers positions from padding_idx + 1, BERT from 0. */
export function firstPosition(config: BackboneConfig): number {
  return config.modelType === 'roberta' ? config.padTokenId + 1 : 0;
}

/** Longest sequence the position table allows (RoBERTa: max_position_embeddings - pad - 1, e.g. 512). */
export function maxSequenceLength(config: BackboneConfig): number {
  return config.maxPositionEmbeddings - firstPosition(config);
}

/** The config as Hugging Face `config.json` fields (for writing a model directory). */
export function toHfConfig(config: BackboneConfig): Record<string, unknown> {
  return {
    model_type: config.modelType,
    vocab_size: config.vocabSize,
    hidden_size: config.hiddenSize,
    num_hidden_layers: config.numHiddenLayers,
    num_attention_heads: config.numAttentionHeads,
    intermediate_size: config.intermediateSize,
    hidden_act: config.hiddenAct,
    layer_norm_eps: config.layerNormEps,
    max_position_embeddings: config.maxPositionEmbeddings,
    type_vocab_size: config.typeVocabSize,
    pad_token_id: config.padTokenId,
    hidden_dropout_prob: config.hiddenDropoutProb,
    attention_probs_dropout_prob: config.attentionProbsDropoutProb,
  };
}
