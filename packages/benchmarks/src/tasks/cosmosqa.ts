import { type CosmosQaExample, NO_LABEL, objectOf, parseCosmosQa } from '@kadapter/data-encode';
import { choiceAccuracy } from '../metrics/choice-accuracy.js';
import { readExamples } from '../read/examples.js';
import { choiceGold, numbersField } from '../read/prediction-fields.js';
import { defineTask } from '../score.js';

/** CosmosQA has four answers per question. */
export const COSMOSQA_CHOICES = 4;

/** A predictions row of CosmosQA: one logit per answer, the gold answer index. */
export interface CosmosQaRow {
  logits: number[];
  gold: number;
}

export interface CosmosQaScore {
  examples: number;
  /** questions whose highest logit is the gold answer, / N */
  accuracy: number;
}

/**
 * CosmosQA multiple choice (kadapter-spec.md §5.4): reads the JSON-lines release the official
 * script reads and the upstream CSV (`id,context,question,answer0..answer3,label`), label as a
 * string or integer 0..3, missing or empty in test data; accuracy of the argmax over 4 choices.
 */
export const cosmosQa = defineTask<CosmosQaExample, number, CosmosQaRow, CosmosQaScore>({
  name: 'cosmosqa',
  description: 'CosmosQA multiple choice (4 answers; accuracy)',
  read: (file, options = {}) => readExamples(file, options.format, parseCosmosQa),
  gold: (example) => (example.label === NO_LABEL ? undefined : example.label),
  parsePrediction(record) {
    const obj = objectOf(record);
    return {
      logits: numbersField(record, obj, 'logits', COSMOSQA_CHOICES, 'one per answer'),
      gold: choiceGold(record, obj, COSMOSQA_CHOICES),
    };
  },
  metrics(rows) {
    const { accuracy } = choiceAccuracy(
      rows.map((r) => r.logits),
      rows.map((r) => r.gold),
    );
    return { examples: rows.length, accuracy };
  },
});
