import type { BackboneInput } from '@kadapter/nn';
import { fixtureVectors, tensorOf } from '@kadapter/test-fixtures';
import { compareClose, describeBackends, EXACT, expectClose, PARITY, tinyFixture } from '@kadapter/test-utils';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadBackbone, type TransformerBackbone } from '../src/index.js';

/**
 * Parity with the official PyTorch code: every hidden state of the tiny RoBERTa within 1e-4 of
 * the fixture (`core.hidden_states.0..4`, `trex.hidden_last`, `find_head.hidden_last`).
 */
describeBackends('tiny RoBERTa parity', () => {
  let backbone: TransformerBackbone;
  let hf: TransformerBackbone;
  let ref: Map<string, tf.Tensor>;
  let core: BackboneInput;

  beforeAll(async () => {
    backbone = await loadBackbone(tinyFixture());
    hf = await loadBackbone(tinyFixture(), { positionIds: 'hf' });
    ref = await fixtureVectors('');
    core = { inputIds: tensorOf(ref, 'core.input_ids'), attentionMask: tensorOf(ref, 'core.attention_mask') };
  });
  afterAll(() => {
    backbone.dispose();
    hf.dispose();
    for (const t of ref.values()) t.dispose();
  });

  it('matches every hidden state of the official RobertaModel', () => {
    const out = backbone.encode(core);
    expect(out.hiddenStates).toHaveLength(5);
    for (let k = 0; k <= 4; k++) {
      expectClose(out.hiddenStates[k]!, tensorOf(ref, `core.hidden_states.${k}`), `hidden_states.${k}`, PARITY);
    }
    expect(out.last).toBe(out.hiddenStates[4]);
    expectClose(out.mask, tensorOf(ref, 'core.attention_mask'), 'mask', EXACT);
    expect(out.mask.dtype).toBe('float32');
    tf.dispose([...out.hiddenStates, out.last, out.mask] as tf.Tensor[]);
  });

  it('matches the last hidden state of the T-REx and find_head inputs (length 32)', () => {
    for (const [task, mask] of [
      ['trex', 'trex.input_mask'],
      ['find_head', 'find_head.input_mask'],
    ] as const) {
      const out = backbone.encode(
        { inputIds: tensorOf(ref, `${task}.input_ids`), attentionMask: tensorOf(ref, mask) },
        { taps: [] },
      );
      expectClose(out.last, tensorOf(ref, `${task}.hidden_last`), `${task}.hidden_last`, PARITY);
      expect(out.hiddenStates.every((h) => h === undefined)).toBe(true);
      tf.dispose([out.last, out.mask]);
    }
  });

  it('keeps only the requested taps and leaks no tensor', () => {
    const before = tf.memory().numTensors;
    const out = backbone.encode(core, { taps: [0, 2] });
    expect(out.hiddenStates.map((h) => h !== undefined)).toEqual([true, false, true, false, false]);
    expectClose(out.hiddenStates[0]!, tensorOf(ref, 'core.hidden_states.0'), 'tap 0', PARITY);
    expectClose(out.hiddenStates[2]!, tensorOf(ref, 'core.hidden_states.2'), 'tap 2', PARITY);
    expectClose(out.last, tensorOf(ref, 'core.hidden_states.4'), 'last', PARITY);
    expect(tf.memory().numTensors).toBe(before + 4); // taps 0 and 2, last, mask
    tf.dispose([out.hiddenStates[0]!, out.hiddenStates[2]!, out.last, out.mask]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('with Hugging Face position ids: real rows unchanged, pad rows different', () => {
    const out = hf.encode(core);
    const mask = tensorOf(ref, 'core.attention_mask').arraySync() as number[][];
    for (let k = 0; k <= 4; k++) {
      const ours = out.hiddenStates[k]!.arraySync() as number[][][];
      const theirs = tensorOf(ref, `core.hidden_states.${k}`).arraySync() as number[][][];
      let padDiff = 0;
      mask.forEach((row, b) => {
        row.forEach((m, j) => {
          if (m === 1)
            expectClose(ours[b]![j]!, theirs[b]![j]!, `hf hidden_states.${k}[${b}, ${j}] (real token)`, PARITY);
          else {
            const pad = compareClose(ours[b]![j]!, theirs[b]![j]!);
            expect(pad.lengths[0], `hidden_states.${k}[${b}, ${j}] (pad): length`).toBe(pad.lengths[1]);
            padDiff = Math.max(padDiff, pad.maxAbs);
          }
        });
      });
      expect(padDiff, `hidden_states.${k}: pad rows must differ`).toBeGreaterThan(1e-2);
    }
    tf.dispose([...out.hiddenStates, out.mask] as tf.Tensor[]);
  });
});
