import { expectError } from '@kadapter/test-utils';
import { describe, expect, it } from 'vitest';
import {
  argmax,
  cumulativeLooseScores,
  decodeSpan,
  entityTypingScores,
  looseMicro,
  microF1ExcludingNone,
  predictedTypes,
} from '../src/index.js';

/** Where the official functions raise (division by zero) or have no case, the documented choices. */
describe('metric edge cases', () => {
  it('prediction rules: > 0 may predict nothing; > 0 or the row maximum predicts every tied maximum', () => {
    expect(predictedTypes([-1, -0.5, -0.5], 'positive')).toEqual([]);
    expect(predictedTypes([-1, -0.5, -0.5], 'positive-or-max')).toEqual([1, 2]);
    expect(predictedTypes([0, 2, 0.5], 'positive-or-max')).toEqual([1, 2]);
  });

  it('loose micro with no gold type at all: recall 0 (the official code divides by zero)', () => {
    expect(looseMicro([[1], []], [[], []])).toEqual({ precision: 0, recall: 0, f1: 0 });
    // F1 is 0 whenever recall is 0, and 2PR/(P+R) otherwise: P = 1/2, R = 1
    expect(looseMicro([[0, 1]], [[0]])).toEqual({ precision: 0.5, recall: 1, f1: 2 / 3 });
  });

  it('no examples, mismatched rows or a bad batch size are InputErrors', async () => {
    await expectError(() => entityTypingScores([], []), 'E_INPUT', 'no examples');
    await expectError(() => entityTypingScores([[1]], [[1], [2]]), 'E_INPUT', '1 predicted rows for 2 gold rows');
    await expectError(() => cumulativeLooseScores([[1]], [[1]], 0), 'E_INPUT', 'batch size');
    await expectError(() => decodeSpan([], []), 'E_INPUT');
    await expectError(() => decodeSpan([1], [1], 0), 'E_INPUT', 'longest span');
  });

  it('the cumulative variant counts batch k of K (K - k + 1) times', () => {
    // batch size 1, 2 examples: the list is [e0, e0, e1]. e0 predicted right (1 of 1), e1 wrong (0 of 1)
    const got = cumulativeLooseScores([[0], [1]], [[0], [0]], 1);
    expect(got.micro).toEqual({ precision: 2 / 3, recall: 2 / 3, f1: 2 / 3 });
    expect(got.macro.precision).toBe(2 / 3);
  });

  it('TACRED conventions: nothing guessed gives P = 1; with no none label nothing is excluded', () => {
    expect(microF1ExcludingNone([28, 28], [28, 5], 28)).toEqual({ precision: 1, recall: 0, f1: 0 });
    expect(microF1ExcludingNone([], [], 28)).toEqual({ precision: 1, recall: 0, f1: 0 });
    expect(microF1ExcludingNone([0, 1], [0, 0], -1)).toEqual({ precision: 0.5, recall: 0.5, f1: 0.5 });
  });

  it('argmax takes the first of tied maxima, as numpy does', () => {
    expect(argmax([1, 3, 3, 2])).toBe(1);
    expect(argmax([])).toBe(-1);
  });
});
