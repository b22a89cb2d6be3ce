import { InputError } from '@kadapter/core';

/**
 * The SQuAD v1.1 answer metrics as thunlp/OpenQA's src/reader/utils.py has them (the code
 * K-Adapter's SearchQA / Quasar-T results were produced with, taken from DrQA). The character
 * classes below are Python's, so that answers with non-ASCII text normalise the same way:
 */

/** `string.punctuation`: ASCII punctuation only (Unicode punctuation such as « — ¿ is kept). */
const PUNCTUATION = /[!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]/g;

/**
 * `\b(a|an|the)\b` of the `regex` module OpenQA imports: its word characters are
 * [\p{Alphabetic}\p{Mark}\p{Nd}\p{Pc}\p{Join_Control}] (JavaScript's own `\b` knows ASCII only).
 */
const ARTICLES =
  /(?<![\p{Alphabetic}\p{M}\p{Nd}\p{Pc}\p{Join_Control}])(?:a|an|the)(?![\p{Alphabetic}\p{M}\p{Nd}\p{Pc}\p{Join_Control}])/gu;

/** What Python's `str.split()` splits on (JavaScript's `\s` differs: it has U+FEFF, lacks U+001C–U+001F and U+0085). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: U+001C–U+001F are whitespace to Python
const WHITESPACE = /[\t\n\v\f\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/u;

/** Python `s.split()`: the runs of non-whitespace. */
function words(s: string): string[] {
  return s.split(WHITESPACE).filter((w) => w.length > 0);
}

/** `normalize_answer`: lower-case, drop ASCII punctuation, drop the articles a/an/the, collapse whitespace. */
export function normalizeAnswer(s: string): string {
  return words(s.toLowerCase().replace(PUNCTUATION, '').replace(ARTICLES, ' ')).join(' ');
}

/** `exact_match_score`: 1 when the normalised texts are equal, else 0. */
export function exactMatchScore(prediction: string, answer: string): number {
  return normalizeAnswer(prediction) === normalizeAnswer(answer) ? 1 : 0;
}

/** `f1_score`: token-level F1 of the normalised texts (bag of words); 0 when no token is shared. */
export function answerF1Score(prediction: string, answer: string): number {
  const predicted = words(normalizeAnswer(prediction));
  const gold = words(normalizeAnswer(answer));
  const counts = new Map<string, number>();
  for (const w of gold) counts.set(w, (counts.get(w) ?? 0) + 1);
  let same = 0;
  for (const w of predicted) {
    const left = counts.get(w) ?? 0;
    if (left > 0) {
      same++;
      counts.set(w, left - 1);
    }
  }
  if (same === 0) return 0;
  const precision = same / predicted.length;
  const recall = same / gold.length;
  return (2 * precision * recall) / (precision + recall);
}

/** `metric_max_over_ground_truths`: the best score of the prediction against any of the answers. */
export function maxOverAnswers(
  metric: (prediction: string, answer: string) => number,
  prediction: string,
  answers: readonly string[],
): number {
  if (answers.length === 0) throw new InputError('no gold answer to compare with');
  return Math.max(...answers.map((a) => metric(prediction, a)));
}

/** Exact match and F1 averaged over examples (fractions; OpenQA prints them × 100). */
export function answerScores(
  predictions: readonly string[],
  answers: readonly (readonly string[])[],
): { exact_match: number; f1: number } {
  if (answers.length === 0) throw new InputError('no examples to score');
  let em = 0;
  let f1 = 0;
  for (let i = 0; i < answers.length; i++) {
    const prediction = predictions[i] as string;
    const gold = answers[i] as string[];
    em += maxOverAnswers(exactMatchScore, prediction, gold);
    f1 += maxOverAnswers(answerF1Score, prediction, gold);
  }
  return { exact_match: em / answers.length, f1: f1 / answers.length };
}
