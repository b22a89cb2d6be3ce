import { objectOf, recordError, stringArrayField } from '@kadapter/data-encode';
import type { InputRecord } from '@kadapter/core';
import { answerScores } from '../metrics/answers.js';
import { decodeSpan, MAX_SPAN_TOKENS } from '../metrics/span-decode.js';
import { type OpenQaExample, readOpenQa } from '../read/open-qa.js';
import { answersField, numbersField } from '../read/prediction-fields.js';
import { defineTask } from '../score.js';
import type { BenchmarkTask, ScoreOptions } from '../task.js';

/** A predictions row of span QA: the answer text (given, or decoded from logits) and the gold answers. */
export interface SpanQaRow {
  prediction: string;
  gold: string[];
}

export interface SpanQaScore {
  examples: number;
  /** exact match after SQuAD normalisation, best over the gold answers, averaged */
  exact_match: number;
  /** token F1 after SQuAD normalisation, best over the gold answers, averaged */
  f1: number;
}

/**
 * A row gives the answer as `"prediction"` text, or as `"logits"` over the `"tokens"` it was read
 * from: T start logits then T end logits (2T numbers), decoded to the best span (`decodeSpan`),
 * whose tokens joined by spaces are the answer. Not both.
 */
function parseSpanRow(record: InputRecord, options: ScoreOptions): SpanQaRow {
  const obj = objectOf(record);
  const gold = answersField(record, obj, 'gold');
  if (typeof obj.prediction === 'string') {
    if (obj.logits !== undefined) throw recordError(record, 'give "prediction" text or logits, not both', 'logits');
    return { prediction: obj.prediction, gold };
  }
  if (obj.prediction !== undefined)
    throw recordError(record, `expected a string, got ${JSON.stringify(obj.prediction)}`, 'prediction');
  if (obj.logits === undefined) throw recordError(record, 'expected "prediction" text or "logits" with "tokens"');
  const tokens = stringArrayField(record, obj, 'tokens');
  if (tokens.length === 0) throw recordError(record, 'expected at least one token', 'tokens');
  const logits = numbersField(
    record,
    obj,
    'logits',
    2 * tokens.length,
    'a start logit per token, then an end logit per token',
  );
  const [s, e] = decodeSpan(
    logits.slice(0, tokens.length),
    logits.slice(tokens.length),
    options.maxSpanTokens ?? MAX_SPAN_TOKENS,
  );
  return { prediction: tokens.slice(s, e + 1).join(' '), gold };
}

/**
 * An open-domain span-extraction task in thunlp/OpenQA's format (SearchQA, Quasar-T): exact match
 * and F1 of OpenQA's (SQuAD v1.1's) answer metrics, the best over each question's gold answers,
 * averaged over questions.
 */
export function spanQaTask(
  name: string,
  description: string,
): BenchmarkTask<OpenQaExample, string[], SpanQaRow, SpanQaScore> {
  return defineTask<OpenQaExample, string[], SpanQaRow, SpanQaScore>({
    name,
    description,
    read: (file, options = {}) => readOpenQa(file, options.paragraphs),
    gold: (example) => example.answers,
    parsePrediction: (record, options = {}) => parseSpanRow(record, options),
    metrics(rows) {
      const scores = answerScores(
        rows.map((r) => r.prediction),
        rows.map((r) => r.gold),
      );
      return { examples: rows.length, ...scores };
    },
  });
}
