export type { ClassifierParams } from './classifier.js';
export { classifierDef, classify } from './classifier.js';
export type { EntityTypingConfig } from './entity-typing.js';
export { entityTyping } from './entity-typing.js';
export type { FacPretrainingConfig } from './fac-pretraining.js';
export { combine, facPretraining } from './fac-pretraining.js';
export type { NamedInputs } from './head-module.js';
export { HeadModule } from './head-module.js';
export type {
  AnyHeadKind,
  ConfigOf,
  HeadConfigBase,
  HeadKind,
  HeadOutputs,
  HostTensor,
  LabelsOf,
  PredictionOf,
  SelectorsOf,
} from './kind.js';
export { defineHead } from './kind.js';
export { checkLabels } from './labels.js';
export type { LinPretrainingConfig } from './lin-pretraining.js';
export { linPretraining } from './lin-pretraining.js';
export { argmaxRows, bceWithLogits, checkClasses, crossEntropy, maskedCrossEntropy } from './losses.js';
export type { MultipleChoiceConfig } from './multiple-choice.js';
export { multipleChoice } from './multiple-choice.js';
export { createHead, headFromWeights, headKind, headKinds, parseHeadConfig, registerHead } from './registry.js';
export type { RelationClassificationConfig } from './relation-classification.js';
export { relationClassification } from './relation-classification.js';
export { checkPositions, pairRows, rowsAt } from './select.js';
export type { Span, SpanExtractionConfig } from './span-extraction.js';
export { spanExtraction } from './span-extraction.js';
