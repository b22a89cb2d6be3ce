import { ConfigError } from '@kadapter/core';

/** Classifier heads read `dense → dropout → out_proj` (no nonlinearity, as the original). */
interface ClassifierBase {
  hiddenSize: number;
  /** class names in logit order */
  labels: string[];
  /** dropout between dense and out_proj while training (0.1 in the original) */
  dropout: number;
}

/** OpenEntity / FIGER: the row at the first marker, multi-label (sigmoid, BCE). */
export interface EntityTypingConfig extends ClassifierBase {
  kind: 'entity-typing';
}

/** TACRED: cat of the subject and object marker rows, single-label (softmax, CE). */
export interface RelationClassificationConfig extends ClassifierBase {
  kind: 'relation-classification';
}

/** CosmosQA: row 0 (`<s>`) of each choice → classifier Linear(H→1), CE over the choices. */
export interface MultipleChoiceConfig {
  kind: 'multiple-choice';
  hiddenSize: number;
  numChoices: number;
  /** dropout on the features before the classifier while training (0.1) */
  dropout: number;
}

/** SearchQA / Quasar-T: start/end logits per token (`qa_outputs` Linear(H→2)). */
export interface SpanExtractionConfig {
  kind: 'span-extraction';
  hiddenSize: number;
  /** longest answer, in tokens, that `predict` returns */
  maxAnswerLength: number;
}

/**
 * fac-adapter pre-training (T-REx relation classification, kadapter-spec.md §4.1):
 * `com_dense(cat[h_last, adapter])`, then the relation-classification head on the marker rows.
 */
export interface FacPretrainingConfig extends ClassifierBase {
  kind: 'fac-pretraining';
}

/**
 * lin-adapter pre-training (dependency head prediction, kadapter-spec.md §4.2):
 * `com_dense(cat[h_last, adapter])`, a 1-head post-LN self-attention with the padding mask, then
 * `dense → dropout → out_proj` to `numClasses` (= max sequence length) positions per token.
 */
export interface LinPretrainingConfig {
  kind: 'lin-pretraining';
  hiddenSize: number;
  numClasses: number;
  dropout: number;
  layerNormEps: number;
}

export type HeadConfig =
  | EntityTypingConfig
  | RelationClassificationConfig
  | MultipleChoiceConfig
  | SpanExtractionConfig
  | FacPretrainingConfig
  | LinPretrainingConfig;

export type HeadKind = HeadConfig['kind'];

/** Throws a ConfigError naming the first field that is out of range. */
export function validateHeadConfig(config: HeadConfig, source = 'head config'): void {
  const fail = (field: string, message: string): never => {
    throw new ConfigError(`${config.kind} head: ${message}`, { file: source, field });
  };
  const positive = (field: string, v: number) => {
    if (!Number.isInteger(v) || v <= 0) fail(field, `${field} must be a positive integer, got ${v}`);
  };
  positive('hiddenSize', config.hiddenSize);
  if ('dropout' in config && !(config.dropout >= 0 && config.dropout < 1)) {
    fail('dropout', `dropout must be in [0, 1), got ${config.dropout}`);
  }
  if ('labels' in config) {
    if (config.labels.length === 0) fail('labels', 'the label list is empty');
    const dup = config.labels.find((l, i) => config.labels.indexOf(l) !== i);
    if (dup !== undefined) fail('labels', `label '${dup}' is listed twice`);
  }
  if (config.kind === 'multiple-choice') {
    positive('numChoices', config.numChoices);
    if (config.numChoices < 2)
      fail('numChoices', `a multiple-choice head needs >= 2 choices, got ${config.numChoices}`);
  }
  if (config.kind === 'span-extraction') positive('maxAnswerLength', config.maxAnswerLength);
  if (config.kind === 'lin-pretraining') {
    positive('numClasses', config.numClasses);
    if (!(config.layerNormEps > 0)) fail('layerNormEps', `layerNormEps must be > 0, got ${config.layerNormEps}`);
  }
}
