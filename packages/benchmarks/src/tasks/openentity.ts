import { OPENENTITY_TYPES } from '@kadapter/data-encode';
import { entityTypingScores } from '../metrics/entity-typing.js';
import type { PRF } from '../metrics/prf.js';
import { readExamples } from '../read/examples.js';
import { defineTask } from '../score.js';
import {
  checkEntityRecord,
  type EntityTypingExample,
  type EntityTypingRow,
  multiHot,
  parseEntityTypingRow,
  typeSets,
} from './entity-typing.js';

export interface OpenEntityScore {
  examples: number;
  /** strict accuracy: examples whose predicted type set equals the gold set, / N */
  accuracy: number;
  /** loose micro P/R/F1 */
  micro: PRF;
  /** loose macro P/R/F1 */
  macro: PRF;
}

/**
 * OpenEntity entity typing (kadapter-spec.md §5.1): 9 types in the official order, a type is
 * predicted iff its logit is > 0 (possibly none), metrics of examples/utils_glue.py
 * `entity_typing_accuracy` (strict accuracy as a fraction; the official function returns the count).
 */
export const openEntity = defineTask<EntityTypingExample, number[], EntityTypingRow, OpenEntityScore>({
  name: 'openentity',
  description: 'OpenEntity entity typing (9 types, multi-label; strict accuracy, loose micro/macro P/R/F1)',
  labels: OPENENTITY_TYPES,
  read: (file, options = {}) =>
    readExamples(file, options.format, (record) => checkEntityRecord(record, options.labels ?? OPENENTITY_TYPES)),
  gold: (example, options = {}) => multiHot(example.types, (options.labels ?? OPENENTITY_TYPES).length),
  parsePrediction: (record, options = {}) => parseEntityTypingRow(record, (options.labels ?? OPENENTITY_TYPES).length),
  metrics(rows) {
    const { predicted, gold } = typeSets(rows, 'positive');
    const s = entityTypingScores(predicted, gold);
    return { examples: rows.length, accuracy: s.accuracy, micro: s.micro, macro: s.macro };
  },
});
