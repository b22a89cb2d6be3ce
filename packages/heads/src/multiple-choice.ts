import { ShapeError } from '@kadapter/core';
import { dropout as dropoutBlock, linear, linearDef, record } from '@kadapter/nn';
import { z } from 'zod';
import { defineHead } from './kind.js';
import { argmaxRows, checkClasses, crossEntropy } from './losses.js';
import { dropout, hiddenSize, positiveInt } from './schema-parts.js';

const schema = z.object({
  kind: z.literal('multiple-choice'),
  hiddenSize,
  numChoices: positiveInt('numChoices', 2),
  dropout,
});

/** CosmosQA: row 0 (`<s>`) of each choice -> classifier Linear(H→1), CE over the choices. */
export type MultipleChoiceConfig = z.infer<typeof schema>;

/**
 * Multiple choice (official COSMOSQAModel head): the features of B questions × C choices come as
 * [B·C, L, H] (choice-major within a question, as the official `view(-1, L)`); logits =
 * classifier(dropout(feat)[:, 0]) reshaped to [B, C]; cross entropy over the choices. Label
 * `labels`: the right choice per question, int32 [B].
 */
export const multipleChoice = defineHead({
  kind: 'multiple-choice',
  description: 'multiple choice (COSMOSQAModel): <s> row of each choice -> classifier, softmax over choices',
  schema,
  selectors: [],
  labels: ['labels'],
  params: (c: MultipleChoiceConfig) => record({ classifier: linearDef(c.hiddenSize, 1) }),
  forward: (o, p, c, features, _s, options) => {
    const [n, , h] = o.shape(features) as [number, number, number];
    const first = o.reshape(o.slice(features, [0, 0, 0], [n, 1, h]), [n, h]);
    const scores = linear(o, dropoutBlock(o, first, c.dropout, options), p.classifier);
    return { logits: o.reshape(scores, [n / c.numChoices, c.numChoices]) };
  },
  loss: (o, logits, l) => crossEntropy(o, logits, l.labels),
  checkSelectors: (c, _s, shape) => {
    const n = shape[0] as number;
    if (n % c.numChoices !== 0) {
      throw new ShapeError(`${n} sequences are not a whole number of questions with ${c.numChoices} choices each`, {
        field: 'numChoices',
      });
    }
  },
  checkLabels: (c, l) => checkClasses(l.labels, c.numChoices),
  predict: (_c, logits) => argmaxRows(logits),
});
