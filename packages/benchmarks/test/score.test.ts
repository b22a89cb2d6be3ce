import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TACRED_RELATIONS } from '@kadapter/data-encode';
import { expectError, tinyFixture, useTempDir } from '@kadapter/test-utils';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  BENCHMARK_TASKS,
  cosmosQa,
  FIGER_TYPE_COUNT,
  figer,
  getTask,
  openEntity,
  quasarT,
  tacred,
} from '../src/index.js';

const tempDir = useTempDir('kadapter-bench-score-');
let dir = '';
beforeAll(async () => {
  dir = await tempDir();
});

function predictions(name: string, rows: unknown[]): string {
  const path = join(dir, name);
  writeFileSync(path, rows.map((r) => `${JSON.stringify(r)}\n`).join(''));
  return path;
}

/** The official metric functions' fixed inputs and outputs (kadapter-tiny/metrics.json). */
const official = JSON.parse(readFileSync(tinyFixture('metrics.json'), 'utf8')) as Record<
  string,
  { inputs: Record<string, unknown[]>; output: Record<string, unknown> }
>;
const prf = ([precision, recall, f1]: number[]) => ({ precision, recall, f1 });

describe('scoring predictions files against the official metric functions (kadapter-tiny/metrics.json)', () => {
  it('OpenEntity: entity_typing_accuracy', async () => {
    const { inputs, output } = official.openentity_entity_typing_accuracy!;
    const rows = (inputs.logits as number[][]).map((logits, i) => ({ logits, gold: inputs.labels![i] }));
    const got = await openEntity.score(predictions('oe.jsonl', rows));
    expect(got).toEqual({
      examples: 5,
      accuracy: (output.cnt as number) / 5,
      micro: prf(output.loose_micro as number[]),
      macro: prf(output.loose_macro as number[]),
    });
  });

  it('TACRED: micro_f1_tacred, gold as names or indices, and P = 1 when nothing is guessed', async () => {
    for (const name of ['tacred_micro_f1', 'tacred_micro_f1_no_guess']) {
      const { inputs, output } = official[name]!;
      // logits whose argmax is the official prediction
      const rows = (inputs.preds as number[]).map((p, i) => {
        const logits = new Array<number>(42).fill(-1);
        logits[p] = 2;
        const gold = inputs.labels![i] as number;
        return { logits, gold: i % 2 ? TACRED_RELATIONS[gold] : gold };
      });
      const got = await tacred.score(predictions(`${name}.jsonl`, rows));
      expect(got, name).toEqual({ examples: rows.length, micro: output });
    }
  });

  it("FIGER: the script's strict accuracy (logit > 0 or the row maximum) and figer_scores (> 0 only)", async () => {
    const strict = official.figer_strict_accuracy!;
    const scores = official.figer_scores_utils_figer!;
    const rows = (strict.inputs.logits as number[][]).map((logits, i) => ({ logits, gold: strict.inputs.labels![i] }));
    const labels = ['a', 'b', 'c', 'd', 'e', 'f'];
    const got = await figer.score(predictions('figer.jsonl', rows), { labels });
    expect(got.accuracy).toBe(strict.output.strict_accuracy);
    expect(got.figer_scores_logit_gt_0).toEqual({
      accuracy: (scores.output.cnt as number) / 4,
      micro: prf(scores.output.loose_micro as number[]),
      macro: prf(scores.output.loose_macro as number[]),
    });
    // one batch of 4 is the whole set: the cumulative variant equals the whole-set numbers
    expect(got.official_script_cumulative).toEqual({ eval_batch_size: 4, micro: got.micro, macro: got.macro });
  });
});

describe('scoring, computed by hand', () => {
  it('CosmosQA: argmax (first maximum on ties) against the gold choice', async () => {
    const rows = [
      { logits: [1, 2, 3, 0], gold: 2 },
      { logits: [0, 0, 0, 0], gold: 1 },
      { logits: [5, 1, 1, 5], gold: 0 },
    ];
    expect(await cosmosQa.score(predictions('cq.jsonl', rows))).toEqual({ examples: 3, accuracy: 2 / 3 });
  });

  it('span QA: prediction text, or the best span decoded from start/end logits over tokens', async () => {
    const rows = [
      { prediction: 'The Eiffel Tower!', gold: ['eiffel  tower', 'Paris'] },
      // start [0, 5, 3], end [8, 1, 4]: the best span with s ≤ e is (1, 2), 5 + 4 (the pair (2, 0)
      // scores 11 but ends before it starts)
      { logits: [0, 5, 3, 8, 1, 4], tokens: ['in', 'Paris', 'France'], gold: ['Paris, France'] },
      { prediction: 'Paris France', gold: ['France', 'Lyon'] },
    ];
    // F1 of the last row: 1 shared token, P = 1/2, R = 1 → 2/3
    expect(await quasarT.score(predictions('qa.jsonl', rows))).toEqual({
      examples: 3,
      exact_match: 2 / 3,
      f1: (1 + 1 + 2 / 3) / 3,
    });
    // spans of one token: (0, 0) scores 8, (1, 1) 6, (2, 2) 7
    const short = [{ logits: [0, 5, 3, 8, 1, 4], tokens: ['in', 'Paris', 'France'], gold: ['In'] }];
    expect(await quasarT.score(predictions('qa-short.jsonl', short), { maxSpanTokens: 1 })).toMatchObject({
      exact_match: 1,
    });
  });
});

describe('bad predictions files', () => {
  const oe = { logits: [1, -1, 0, 0, 0, 0, 0, 0, 0], gold: [1, 0, 0, 0, 0, 0, 0, 0, 0] };

  it('name the file, line and field', async () => {
    const cases: [typeof BENCHMARK_TASKS extends ReadonlyMap<string, infer T> ? T : never, unknown, string[]][] = [
      [
        openEntity,
        { ...oe, logits: oe.logits.slice(1) },
        ["field 'logits'", 'has 8 values, expected 9 (one per label)'],
      ],
      [openEntity, { ...oe, logits: [1, '2', 0, 0, 0, 0, 0, 0, 0] }, ["field 'logits[1]'"]],
      [openEntity, { ...oe, gold: [1, 0, 2, 0, 0, 0, 0, 0, 0] }, ["field 'gold[2]'", 'expected 0 or 1']],
      [openEntity, { logits: oe.logits }, ["field 'gold'"]],
      [openEntity, [oe.logits], ['expected a JSON object']],
      [tacred, { logits: new Array(42).fill(0), gold: 'per:friend' }, ["field 'gold'", '"per:friend" is not one of']],
      [tacred, { logits: new Array(42).fill(0), gold: 42 }, ["field 'gold'", 'index 0..41']],
      [tacred, { logits: new Array(41).fill(0), gold: 'no_relation' }, ["field 'logits'", 'one per relation']],
      [cosmosQa, { logits: [0, 0, 0, 0], gold: 4 }, ["field 'gold'", 'choice index 0..3']],
      [cosmosQa, { logits: [0, 0, 0, 0], gold: '1' }, ["field 'gold'"]],
      [figer, { logits: [1, 0, 0], gold: [1, 0, 0] }, ["field 'logits'", `expected ${FIGER_TYPE_COUNT}`]],
      [quasarT, { prediction: 'x', gold: [] }, ["field 'gold'", 'at least one answer']],
      [quasarT, { prediction: 'x', logits: [0, 0], tokens: ['x'], gold: ['x'] }, ["field 'logits'", 'not both']],
      [quasarT, { logits: [0, 0, 0], tokens: ['x', 'y'], gold: ['x'] }, ["field 'logits'", 'expected 4']],
      [quasarT, { gold: ['x'] }, ['"prediction" text or "logits"']],
    ];
    for (const [i, [task, row, parts]] of cases.entries()) {
      const good = task === openEntity ? oe : undefined;
      const path = predictions(`bad-${i}.jsonl`, good ? [good, good, row] : [row]);
      await expectError(task.score(path), 'E_DATA', `${path}:${good ? 3 : 1}`, ...parts);
    }
  });

  it('malformed JSON is a FormatError naming the line; an empty file is a DataError', async () => {
    const path = join(dir, 'malformed.jsonl');
    writeFileSync(path, `${JSON.stringify(oe)}\n\n{"logits": [1,\n`);
    await expectError(openEntity.score(path), 'E_FORMAT', `${path}:3`);
    const empty = predictions('empty.jsonl', []);
    await expectError(openEntity.score(empty), 'E_DATA', empty, 'no predictions');
    await expectError(openEntity.score(join(dir, 'absent.jsonl')), 'E_NOT_FOUND', 'absent.jsonl');
  });

  it('FIGER rows follow the run label list when one is given', async () => {
    const path = predictions('figer-3.jsonl', [{ logits: [1, 0, 0], gold: [1, 0, 0] }]);
    expect(await figer.score(path, { labels: ['/a', '/b', '/c'] })).toMatchObject({ examples: 1, accuracy: 1 });
  });
});

describe('task registry', () => {
  it('lists the six tasks and refuses an unknown name with a ConfigError naming them', async () => {
    expect([...BENCHMARK_TASKS.keys()]).toEqual(['openentity', 'figer', 'tacred', 'cosmosqa', 'searchqa', 'quasart']);
    expect(getTask('tacred')).toBe(tacred);
    await expectError(() => getTask('squad'), 'E_CONFIG', "unknown task 'squad'", 'openentity, figer');
  });
});
