import type { KAdapterStack } from '@kadapter/adapter';
import type { TransformerBackbone } from '@kadapter/backbone';
import type { FeatureSet } from '@kadapter/data-encode';
import { concatFusion, createFusion, type FusionModule } from '@kadapter/fusion';
import { createHead, type HeadModule, multipleChoice } from '@kadapter/heads';
import { type EpochInfo, fit } from '@kadapter/train';
import * as tf from '@tensorflow/tfjs';
import type { Accuracy } from './pretrain.js';
import { allRows, backboneRows, disposeStates, frozenStates, toTensor } from './tensors.js';
import { fitOptions, type TrainingOptions } from './training.js';

export interface Finetuned {
  fusion: FusionModule<typeof concatFusion>;
  head: HeadModule<typeof multipleChoice>;
  before: Accuracy;
  after: Accuracy;
  epochs: EpochInfo[];
  /** the dev questions' inputs, flattened to [4N, L], to check a reloaded setup */
  devInput: { inputIds: tf.Tensor2D; attentionMask: tf.Tensor2D };
  /** the dev logits [N, 4] of the trained composition */
  devLogits: tf.Tensor2D;
}

/** One encoded CosmosQA split, flattened to one sequence per (question, choice). */
interface McSplit {
  questions: number;
  inputIds: tf.Tensor2D;
  mask: tf.Tensor2D;
  labels: tf.Tensor1D;
}

function flatten(f: FeatureSet): McSplit {
  const ids = toTensor(f.tensors.get('input_ids'), 'input_ids');
  const mask = toTensor(f.tensors.get('attention_mask'), 'attention_mask');
  const [n, c, l] = ids.shape as [number, number, number];
  return {
    questions: n,
    inputIds: tf.reshape(ids, [n * c, l]),
    mask: tf.reshape(mask, [n * c, l]),
    labels: toTensor(f.tensors.get('labels'), 'labels') as tf.Tensor1D,
  };
}

/**
 * Fine-tunes a concat fusion and a multiple-choice head on CosmosQA over the frozen backbone and
 * the frozen, pre-trained adapters (kadapter-spec.md §3.1, §3.3 recommended variant). Backbone
 * states and adapter outputs are computed once; only fusion and head train. (The official scripts
 * also fine-tune RoBERTa; freezing it keeps the demo fast.)
 */
export function finetuneMultipleChoice(
  backbone: TransformerBackbone,
  adapters: ReadonlyMap<string, KAdapterStack>,
  trainSet: FeatureSet,
  devSet: FeatureSet,
  o: TrainingOptions,
): Finetuned {
  const hidden = backbone.info.hiddenSize;
  const taps = [...new Set([...adapters.values()].flatMap((a) => a.config.taps))];
  const fusion = createFusion(
    concatFusion,
    { kind: 'concat', adapters: [...adapters.keys()], hiddenSize: hidden },
    { seed: o.seed },
  );
  const head = createHead(
    multipleChoice,
    { kind: 'multiple-choice', hiddenSize: hidden, numChoices: 4, dropout: 0.1 },
    { seed: o.seed + 1 },
  );
  const prepare = (f: FeatureSet) => {
    const s = flatten(f);
    const states = frozenStates(backbone, s.inputIds, s.mask, taps);
    const all = allRows(s.inputIds.shape[0]);
    // The head reads only position 0 (<s>) and the fusion is per token, so only that row is kept.
    const first = (t: tf.Tensor3D) => tf.slice(t, [0, 0, 0], [-1, 1, -1]) as tf.Tensor3D;
    const outputs = tf.tidy(() => {
      const out = backboneRows(states, all);
      return Object.fromEntries([...adapters].map(([name, a]) => [name, first(a.apply(out).output)]));
    });
    const last = first(states.last);
    disposeStates(states);
    all.dispose();
    return { ...s, last, outputs };
  };
  const train = prepare(trainSet);
  const dev = prepare(devSet);
  type Prepared = typeof train;
  const logitsOf = (s: Prepared, questions: number[], training: boolean) => {
    const rows = tf.tensor1d(
      questions.flatMap((q) => [0, 1, 2, 3].map((c) => q * 4 + c)),
      'int32',
    );
    const pick = (t: tf.Tensor3D) => tf.gather(t, rows) as tf.Tensor3D;
    const outs = Object.fromEntries(Object.entries(s.outputs).map(([n, t]) => [n, pick(t)]));
    return head.apply(fusion.apply(pick(s.last), outs, { training }), undefined, { training });
  };
  const questions = (s: Prepared) => Array.from({ length: s.questions }, (_, i) => i);
  const accuracyOf = (s: Prepared) =>
    tf.tidy(() => {
      const pred = tf.argMax(logitsOf(s, questions(s), false), -1);
      return tf.mean(tf.cast(tf.equal(pred, s.labels), 'float32')).dataSync()[0] as number;
    });
  const accuracy = (): Accuracy => ({ train: accuracyOf(train), dev: accuracyOf(dev) });
  const before = accuracy();
  const params = new Map([...fusion.namedVariables(), ...head.namedVariables()]);
  const run = fit(
    params,
    (batch) => head.loss(logitsOf(train, batch, true), tf.gather(train.labels, tf.tensor1d(batch, 'int32'))),
    fitOptions(train.questions, o),
  );
  const after = accuracy();
  const devLogits = tf.tidy(() => logitsOf(dev, questions(dev), false)) as tf.Tensor2D;
  tf.dispose([train.inputIds, train.mask, train.labels, train.last, ...Object.values(train.outputs)]);
  tf.dispose([dev.labels, dev.last, ...Object.values(dev.outputs)]);
  return {
    fusion,
    head,
    before,
    after,
    epochs: run.epochs,
    devInput: { inputIds: dev.inputIds, attentionMask: dev.mask },
    devLogits,
  };
}
