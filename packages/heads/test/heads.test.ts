import { isKAdapterError } from '@kadapter/core';
import { describeBackends, EXACT, expectClose, expectError, PARITY } from '@kadapter/test-utils';
import * as tf from '@tensorflow/tfjs';
import { expect, it } from 'vitest';
import { tfOps } from '@kadapter/nn';
import {
  checkClasses,
  checkLabels,
  checkPositions,
  createHead,
  crossEntropy,
  entityTyping,
  type HeadConfigBase,
  headFromWeights,
  headKind,
  maskedCrossEntropy,
  multipleChoice,
  rowsAt,
  spanExtraction,
} from '../src/index.js';
import { OPENENTITY_LABELS } from './fixture.js';

const h = 8;

describeBackends('heads', () => {
  it('span extraction: start/end logits per token, padding masked, mean of the two CEs', () => {
    const head = createHead(
      spanExtraction,
      { kind: 'span-extraction', hiddenSize: h, maxAnswerLength: 3 },
      { seed: 2 },
    );
    const feats = tf.randomNormal([2, 5, h], 0, 1, 'float32', 4) as tf.Tensor3D;
    const mask = tf.tensor2d([
      [1, 1, 1, 1, 1],
      [1, 1, 1, 0, 0],
    ]);
    const logits = head.apply(feats, { mask });
    const w = head.weights();
    const W = w.get('qa_outputs.weight')?.arraySync() as number[][];
    const b = w.get('qa_outputs.bias')?.arraySync() as number[];
    const x = feats.arraySync();
    const m = mask.arraySync();
    const expected = x.map((row, i) =>
      row.map((tok, j) =>
        [0, 1].map(
          (k) =>
            tok.reduce((s, v, c) => s + v * ((W[k] as number[])[c] as number), b[k] as number) +
            ((m[i] as number[])[j] === 1 ? 0 : -10000),
        ),
      ),
    );
    // padded positions hold x − 10000, where float32 spacing is ~1e-3: relative slack there
    expectClose(logits, expected.flat(2), 'qa logits', { atol: 1e-4, rtol: 1e-6 });
    // loss: mean over batch of (CE(start) + CE(end)) / 2, computed by hand
    const start = [1, 0];
    const end = [3, 2];
    const ce = (row: number[], gold: number) => {
      const mx = Math.max(...row);
      return Math.log(row.reduce((s, v) => s + Math.exp(v - mx), 0)) + mx - (row[gold] as number);
    };
    const column = (i: number, k: number) => (expected[i] as number[][]).map((t) => t[k] as number);
    const want =
      [0, 1].reduce((s, i) => s + ce(column(i, 0), start[i] as number) + ce(column(i, 1), end[i] as number), 0) / 4;
    const labels = { start: tf.tensor1d(start, 'int32'), end: tf.tensor1d(end, 'int32') };
    const loss = head.loss(logits, labels);
    expectClose(loss, [want], 'qa loss', PARITY);
    tf.dispose([feats, mask, logits, loss, labels, ...w.values()]);
    head.dispose();
  });

  it('span extraction predict: best start ≤ end within maxAnswerLength', () => {
    const head = createHead(spanExtraction, { kind: 'span-extraction', hiddenSize: h, maxAnswerLength: 2 });
    // unbounded, the best span would be 0..3 (5 + 9); with at most 2 tokens it is 2..3 (1 + 9)
    const logits = tf.tensor3d([
      [
        [5, 0],
        [0, 2],
        [1, 0],
        [0, 9],
      ],
    ]);
    expect(head.predict(logits)).toEqual([{ start: 2, end: 3, score: 10 }]);
    const logits2 = tf.tensor3d([
      [
        [5, 0],
        [0, 4],
        [0, 0],
        [0, 1],
      ],
    ]);
    expect(head.predict(logits2)).toEqual([{ start: 0, end: 1, score: 9 }]);
    tf.dispose([logits, logits2]);
    head.dispose();
  });

  it('entity typing predict: every label whose logit is > 0', () => {
    const head = createHead(entityTyping, {
      kind: 'entity-typing',
      hiddenSize: h,
      labels: ['a', 'b', 'c'],
      dropout: 0.1,
    });
    const logits = tf.tensor2d([
      [0.5, -1, 2],
      [-1, -2, 0],
    ]);
    expect(head.predict(logits)).toEqual([['a', 'c'], []]);
    logits.dispose();
    head.dispose();
  });

  it('rowsAt picks feature rows and its gradient scatters back to them', () => {
    const f = tf.tensor3d([...Array(2 * 3 * 2).keys()], [2, 3, 2]);
    const idx = tf.tensor1d([2, 0], 'int32');
    // a forward function (written against Ops) leaves its intermediates to the caller's scope
    expect(tf.tidy(() => rowsAt(tfOps, f, idx).arraySync())).toEqual([
      [4, 5],
      [6, 7],
    ]);
    const g = tf.grad((x: tf.Tensor) => tf.sum(rowsAt(tfOps, x, idx)))(f);
    expect(g.arraySync()).toEqual([
      [
        [0, 0],
        [0, 0],
        [1, 1],
      ],
      [
        [1, 1],
        [0, 0],
        [0, 0],
      ],
    ]);
    tf.dispose([f, idx, g]);
  });

  it('positions outside their own sequence and selectors of another batch size are refused', async () => {
    const shape = [2, 3, 2];
    const at = (data: number[]) => ({ shape: [data.length], data });
    // position 3 of row 0 is row 1's first token, -1 of row 1 is row 0's last: never another example's row
    await expectError(
      () => checkPositions(at([3, 0]), shape, 'marker'),
      'E_INPUT',
      'position [0] = 3 is outside [0, 3)',
    );
    await expectError(
      () => checkPositions(at([0, -1]), shape, 'marker'),
      'E_INPUT',
      'position [1] = -1 is outside [0, 3)',
    );
    await expectError(() => checkPositions(at([1]), shape, 'marker'), 'E_SHAPE', '1 positions for a batch of 2');
    // a head checks before it reads
    const head = createHead(entityTyping, { kind: 'entity-typing', hiddenSize: 2, labels: ['a'], dropout: 0 });
    const f = tf.tensor3d([...Array(2 * 3 * 2).keys()], [2, 3, 2]);
    const marker = tf.tensor1d([3, 0], 'int32');
    await expectError(() => head.apply(f, { marker }), 'E_INPUT', 'position [0] = 3');
    tf.dispose([f, marker]);
    head.dispose();
  });

  it('the cross entropies refuse a class outside [0, C) where it counts', async () => {
    const logits = tf.tensor2d([
      [1, 2, 3],
      [0, 0, 1],
    ]);
    const at = (data: number[]) => ({ shape: [data.length], data });
    await expectError(() => checkClasses(at([0, 3]), 3), 'E_INPUT', 'class [1] = 3 is outside [0, 3)');
    await expectError(() => checkClasses(at([-1, 0]), 3), 'E_INPUT', 'class [0] = -1');
    const mc = createHead(multipleChoice, { kind: 'multiple-choice', hiddenSize: 2, numChoices: 3, dropout: 0 });
    const outside = tf.tensor1d([0, 3], 'int32');
    await expectError(() => mc.loss(logits, outside), 'E_INPUT', 'class [1] = 3 is outside [0, 3)');
    mc.dispose();
    const perToken = tf.reshape(logits, [1, 2, 3]) as tf.Tensor3D;
    const mask = tf.tensor2d([[1, 0]]);
    const lin = createHead(headKind('lin-pretraining'), {
      kind: 'lin-pretraining',
      hiddenSize: 2,
      numClasses: 3,
      dropout: 0,
      layerNormEps: 1e-5,
    });
    const badLabels = tf.tensor2d([[7, 0]], undefined, 'int32');
    await expectError(
      () => lin.loss(perToken, { labels: badLabels, mask }),
      'E_INPUT',
      'class [0] = 7 is outside [0, 3)',
    );
    // where the weight is 0 or the class is negative (ignore index) the value does not count and is not checked
    const labels = tf.tensor2d([[2, 9]], undefined, 'int32');
    const loss = lin.loss(perToken, { labels, mask });
    tf.tidy(() =>
      expectClose(loss, tf.scalar(Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3)) - 3), 'masked CE', PARITY),
    );
    // the loss functions are forward functions (written against Ops): the caller's scope disposes their intermediates
    tf.tidy(() => {
      const ignored = maskedCrossEntropy(
        tfOps,
        perToken,
        tf.tensor2d([[-100, 2]], undefined, 'int32'),
        tf.ones([1, 2]),
      );
      expectClose(ignored, tf.scalar(Math.log(2 + Math.exp(1)) - 1), 'masked CE, ignore index', PARITY);
      expectClose(
        crossEntropy(tfOps, logits, tf.tensor1d([2, 2], 'int32')),
        tf.scalar((Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3)) - 3 + Math.log(2 + Math.exp(1)) - 1) / 2),
        'CE',
        PARITY,
      );
    });
    tf.dispose([logits, outside, perToken, mask, badLabels, labels, loss]);
    lin.dispose();
  });

  const configs: HeadConfigBase[] = [
    { kind: 'entity-typing', hiddenSize: h, labels: ['a', 'b', 'c'], dropout: 0.1 },
    { kind: 'relation-classification', hiddenSize: h, labels: ['x', 'y'], dropout: 0.1 },
    { kind: 'multiple-choice', hiddenSize: h, numChoices: 2, dropout: 0.1 },
    { kind: 'span-extraction', hiddenSize: h, maxAnswerLength: 4 },
    { kind: 'fac-pretraining', hiddenSize: h, labels: ['P1', 'P2', 'P3'], dropout: 0.1 },
    { kind: 'lin-pretraining', hiddenSize: h, numClasses: 6, dropout: 0.1, layerNormEps: 1e-5 },
  ];
  for (const cfg of configs) {
    it(`${cfg.kind}: rebuilt from its own weights, it gives identical logits; dropout only in training`, () => {
      const kind = headKind(cfg.kind);
      const a = createHead(kind, cfg, { seed: 11 });
      const weights = a.weights();
      const b = headFromWeights(kind, cfg, weights, 'roundtrip');
      const feats = tf.randomNormal([2, 6, h], 0, 1, 'float32', 3) as tf.Tensor3D;
      const sel = {
        marker: tf.tensor1d([1, 2], 'int32'),
        subj: tf.tensor1d([1, 2], 'int32'),
        obj: tf.tensor1d([4, 0], 'int32'),
        last: tf.randomNormal([2, 6, h], 0, 1, 'float32', 5) as tf.Tensor3D,
        mask: tf.tensor2d([
          [1, 1, 1, 1, 1, 1],
          [1, 1, 1, 1, 0, 0],
        ]),
      };
      const run = (head: typeof a, training: boolean) => head.apply(feats, sel, { training });
      tf.tidy(() => {
        expectClose(run(b, false), run(a, false), 'roundtrip', EXACT);
        expect(a.trainableVariables().length).toBeGreaterThan(0);
        if (cfg.kind !== 'span-extraction') {
          const diff = tf.max(tf.abs(tf.sub(run(a, true), run(a, false)))).dataSync()[0] as number;
          expect(diff).toBeGreaterThan(0);
        }
      });
      tf.dispose([...weights.values(), feats, sel]);
      a.dispose();
      b.dispose();
    });
  }

  it('a frozen head has no trainable variables', () => {
    const head = createHead(entityTyping, configs[0] as never, { trainable: false });
    expect(head.trainableVariables()).toHaveLength(0);
    head.dispose();
  });
});

it('label lists: a loaded head whose labels disagree with the task is a typed error saying what differs', () => {
  const expectMessage = (head: string[], task: string[], pattern: RegExp) => {
    try {
      checkLabels(head, task, 'heads/et');
      expect.unreachable();
    } catch (err) {
      expect(isKAdapterError(err, 'E_CONFIG')).toBe(true);
      expect(String(err)).toMatch(pattern);
    }
  };
  expect(() => checkLabels(OPENENTITY_LABELS, [...OPENENTITY_LABELS], 'x')).not.toThrow();
  expectMessage(['a', 'b'], ['a', 'b', 'c'], /head has 2 labels, task has 3; only in the task: c/);
  expectMessage(['a', 'x'], ['a', 'b'], /only in the head: x; only in the task: b/);
  expectMessage(['b', 'a'], ['a', 'b'], /another order: position 0 is 'b' in the head, 'a' in the task/);
});

it('bad head configs are refused naming the field', () => {
  expect(() =>
    createHead(entityTyping, { kind: 'entity-typing', hiddenSize: 8, labels: ['a', 'a'], dropout: 0.1 }),
  ).toThrow(/field 'labels'.*'a' is listed twice/);
  expect(() =>
    createHead(multipleChoice, { kind: 'multiple-choice', hiddenSize: 8, numChoices: 1, dropout: 0.1 }),
  ).toThrow(/numChoices/);
  expect(() => createHead(spanExtraction, { kind: 'span-extraction', hiddenSize: 0, maxAnswerLength: 3 })).toThrow(
    /hiddenSize/,
  );
  expect(() => headKind('no-such-head')).toThrow(/unknown head kind 'no-such-head' \(known: entity-typing/);
});

it('weights of the wrong shape are refused naming the tensor', () => {
  const named = new Map<string, tf.Tensor>([
    ['dense.weight', tf.zeros([8, 8])],
    ['dense.bias', tf.zeros([8])],
    ['out_proj.weight', tf.zeros([4, 8])],
    ['out_proj.bias', tf.zeros([4])],
  ]);
  expect(() =>
    headFromWeights(
      entityTyping,
      { kind: 'entity-typing', hiddenSize: 8, labels: ['a', 'b', 'c'], dropout: 0.1 },
      named,
      'et.safetensors',
    ),
  ).toThrow(/et.safetensors.*out_proj.weight is \[4,8\], expected \[3,8\]/);
});
