export type {
  EntityTypingConfig,
  FacPretrainingConfig,
  HeadConfig,
  HeadKind,
  LinPretrainingConfig,
  MultipleChoiceConfig,
  RelationClassificationConfig,
  SpanExtractionConfig,
} from './config.js';
export { validateHeadConfig } from './config.js';
export type { MarkerSelectors } from './entity-typing.js';
export { EntityTypingHead } from './entity-typing.js';
export type { WithLast } from './fac-pretraining.js';
export { FacPretrainingHead } from './fac-pretraining.js';
export type { AnyHead, HeadFor, HeadsByKind } from './factory.js';
export { createHead, headFromWeights } from './factory.js';
export { checkLabels } from './labels.js';
export type { LinLabels, MaskSelectors } from './lin-pretraining.js';
export { LinPretrainingHead } from './lin-pretraining.js';
export { bceWithLogits, crossEntropy, maskedCrossEntropy } from './losses.js';
export { MultipleChoiceHead } from './multiple-choice.js';
export type { PairSelectors } from './relation-classification.js';
export { RelationClassificationHead } from './relation-classification.js';
export { rowsAt } from './select.js';
export type { Span, SpanLabels, SpanSelectors } from './span-extraction.js';
export { SpanExtractionHead } from './span-extraction.js';
