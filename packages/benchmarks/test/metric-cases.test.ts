import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  answerF1Score,
  cosmosQa,
  decodeSpan,
  exactMatchScore,
  figer,
  maxOverAnswers,
  normalizeAnswer,
  openEntity,
  searchQa,
  tacred,
} from '../src/index.js';

/**
 * Every case of test/fixtures/metric-cases.json: random inputs with the outputs of the official
 * metric functions (K-Adapter's examples/*.py, thunlp/OpenQA's answer metrics), produced by
 * tools/metric-cases/generate.py. Numbers must be equal, not close: the same operations in the same order.
 */
interface Cases {
  openentity: {
    logits: number[][];
    labels: number[][];
    expected: { cnt: number; loose_micro: number[]; loose_macro: number[] };
  }[];
  figer: {
    logits: number[][];
    labels: number[][];
    eval_batch_size: number;
    expected: {
      accuracy_cnt: number;
      erine_accuracy: number;
      cumulative_micro: number[];
      cumulative_macro: number[];
      whole_micro: number[];
      whole_macro: number[];
      figer_scores: { cnt: number; loose_micro: number[]; loose_macro: number[] };
    };
  }[];
  tacred: { logits: number[][]; labels: number[]; expected: { precision: number; recall: number; f1: number } }[];
  cosmosqa: { logits: number[][]; labels: number[]; expected: { correct: number; accuracy: number } }[];
  normalize: { text: string; normalized: string }[];
  span: {
    predictions: string[];
    answers: string[][];
    expected: { exact_match: number; f1: number; per_example: [number, number][] };
  }[];
  decode: { start: number[]; end: number[]; max_len: number | null; expected: [number, number] }[];
}

const cases = JSON.parse(readFileSync(new URL('./fixtures/metric-cases.json', import.meta.url), 'utf8')) as Cases;

const prf = ([precision, recall, f1]: number[]) => ({ precision, recall, f1 });
const rows = (logits: number[][], gold: unknown[]) => logits.map((l, i) => ({ logits: l, gold: gold[i] }));

describe('metrics against the official functions on random cases', () => {
  it(`OpenEntity: entity_typing_accuracy (${cases.openentity.length} cases)`, () => {
    for (const [i, c] of cases.openentity.entries()) {
      const got = openEntity.metrics(rows(c.logits, c.labels) as never);
      expect(got, `case ${i}`).toEqual({
        examples: c.logits.length,
        accuracy: c.expected.cnt / c.logits.length,
        micro: prf(c.expected.loose_micro),
        macro: prf(c.expected.loose_macro),
      });
    }
  });

  it(`FIGER: the script's accuracy()/evaluate() and utils_figer.figer_scores (${cases.figer.length} cases)`, () => {
    let differs = 0;
    for (const [i, c] of cases.figer.entries()) {
      const labels = c.labels[0]!.map((_, k) => `/type${k}`);
      const got = figer.metrics(rows(c.logits, c.labels) as never, { labels, evalBatchSize: c.eval_batch_size });
      const n = c.logits.length;
      expect(got, `case ${i}`).toEqual({
        examples: n,
        accuracy: c.expected.accuracy_cnt / n,
        micro: prf(c.expected.whole_micro),
        macro: prf(c.expected.whole_macro),
        official_script_cumulative: {
          eval_batch_size: c.eval_batch_size,
          micro: prf(c.expected.cumulative_micro),
          macro: prf(c.expected.cumulative_macro),
        },
        figer_scores_logit_gt_0: {
          accuracy: c.expected.figer_scores.cnt / n,
          micro: prf(c.expected.figer_scores.loose_micro),
          macro: prf(c.expected.figer_scores.loose_macro),
        },
      });
      expect(got.accuracy, `case ${i}: ERINE_accuracy`).toBe(c.expected.erine_accuracy);
      if (c.expected.cumulative_macro.join() !== c.expected.whole_macro.join()) differs++;
    }
    // the cases do tell the cumulative weighting from the whole-set numbers
    expect(differs).toBeGreaterThan(10);
  });

  it(`TACRED: argmax, then micro_f1_tacred (${cases.tacred.length} cases)`, () => {
    let nothingGuessed = 0;
    for (const [i, c] of cases.tacred.entries()) {
      const got = tacred.metrics(rows(c.logits, c.labels) as never);
      expect(got, `case ${i}`).toEqual({ examples: c.logits.length, micro: c.expected });
      if (c.expected.precision === 1 && c.expected.recall === 0) nothingGuessed++;
    }
    expect(nothingGuessed).toBeGreaterThan(3);
  });

  it(`CosmosQA: accuracy() / N (${cases.cosmosqa.length} cases)`, () => {
    for (const [i, c] of cases.cosmosqa.entries()) {
      expect(cosmosQa.metrics(rows(c.logits, c.labels) as never), `case ${i}`).toEqual({
        examples: c.logits.length,
        accuracy: c.expected.accuracy,
      });
    }
  });

  it(`span QA: OpenQA normalize_answer (${cases.normalize.length} texts)`, () => {
    for (const [i, c] of cases.normalize.entries()) {
      expect(normalizeAnswer(c.text), `text ${i}: ${JSON.stringify(c.text)}`).toBe(c.normalized);
    }
  });

  it(`span QA: exact match and F1, best over the answers, averaged (${cases.span.length} cases)`, () => {
    for (const [i, c] of cases.span.entries()) {
      const perExample = c.predictions.map((p, k) => [
        maxOverAnswers(exactMatchScore, p, c.answers[k]!),
        maxOverAnswers(answerF1Score, p, c.answers[k]!),
      ]);
      expect(perExample, `case ${i}`).toEqual(c.expected.per_example);
      const got = searchQa.metrics(c.predictions.map((prediction, k) => ({ prediction, gold: c.answers[k]! })));
      expect(got, `case ${i}`).toEqual({
        examples: c.predictions.length,
        exact_match: c.expected.exact_match,
        f1: c.expected.f1,
      });
    }
  });

  it(`span QA: DocReader.decode (${cases.decode.length} cases)`, () => {
    for (const [i, c] of cases.decode.entries()) {
      expect(decodeSpan(c.start, c.end, c.max_len ?? c.start.length), `case ${i}`).toEqual(c.expected);
    }
  });
});
