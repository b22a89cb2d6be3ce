export type { EntityTypingScores, TypeRule } from './metrics/entity-typing.js';
export {
  cumulativeLooseScores,
  entityTypingScores,
  goldTypes,
  looseMacro,
  looseMicro,
  predictedTypes,
} from './metrics/entity-typing.js';
export { answerF1Score, answerScores, exactMatchScore, maxOverAnswers, normalizeAnswer } from './metrics/answers.js';
export { argmax } from './metrics/argmax.js';
export { choiceAccuracy } from './metrics/choice-accuracy.js';
export type { PRF } from './metrics/prf.js';
export { microF1ExcludingNone } from './metrics/relation.js';
export { decodeSpan, MAX_SPAN_TOKENS } from './metrics/span-decode.js';
export type { Example } from './read/examples.js';
export { collect } from './read/examples.js';
export type { OpenQaExample, OpenQaParagraph } from './read/open-qa.js';
export { readOpenQa } from './read/open-qa.js';
export { BENCHMARK_TASKS, getTask } from './registry.js';
export { defineTask, scorePredictionsFile } from './score.js';
export type { BenchmarkTask, ReadOptions, Score, ScoreOptions } from './task.js';
export type { CosmosQaScore } from './tasks/cosmosqa.js';
export { COSMOSQA_CHOICES, cosmosQa } from './tasks/cosmosqa.js';
export type { EntityTypingExample } from './tasks/entity-typing.js';
export type { FigerScore } from './tasks/figer.js';
export { FIGER_SCRIPT_EVAL_BATCH_SIZE, FIGER_TYPE_COUNT, figer } from './tasks/figer.js';
export type { OpenEntityScore } from './tasks/openentity.js';
export { openEntity } from './tasks/openentity.js';
export { quasarT } from './tasks/quasart.js';
export { searchQa } from './tasks/searchqa.js';
export type { SpanQaScore } from './tasks/span-qa.js';
export { spanQaTask } from './tasks/span-qa.js';
export type { TacredExample, TacredScore } from './tasks/tacred.js';
export { tacred } from './tasks/tacred.js';
