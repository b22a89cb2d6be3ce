import { KAdapterStack } from '@kadapter/adapter';
import type { AdapterConfig } from '@kadapter/core';
import type { FeatureSet } from '@kadapter/data-encode';
import { createHead, facPretraining, type HeadModule, linPretraining } from '@kadapter/heads';
import { type EpochInfo, fit } from '@kadapter/train';
import * as tf from '@tensorflow/tfjs';
import { allRows, backboneRows, type FrozenStates, toTensor } from './tensors.js';
import { fitOptions, type TrainingOptions } from './training.js';

export interface PretrainOptions extends TrainingOptions {
  config: AdapterConfig;
  hiddenSize: number;
}

/** Accuracy on the training and the dev split. */
export interface Accuracy {
  train: number;
  dev: number;
}

export interface Pretrained<H> {
  stack: KAdapterStack;
  head: H;
  before: Accuracy;
  after: Accuracy;
  epochs: EpochInfo[];
}

/** An encoded split with its frozen backbone states. */
export interface Split {
  features: FeatureSet;
  states: FrozenStates;
}

/** How one pre-training task reads a split: its label columns, logits, loss and accuracy. */
interface Task<C> {
  columns(s: Split): C;
  examples(c: C): number;
  logits(s: Split, c: C, rows: tf.Tensor1D, training: boolean): tf.Tensor;
  loss(logits: tf.Tensor, s: Split, c: C, rows: tf.Tensor1D): tf.Scalar;
  accuracy(logits: tf.Tensor, s: Split, c: C): number;
}

/**
 * Trains a fresh adapter stack and pre-training head on a task over frozen backbone states (the
 * official pre-training: backbone frozen, adapter + head trained), measuring accuracy before and after.
 */
function pretrain<C, H extends { namedVariables(): Map<string, tf.Variable> }>(
  stack: KAdapterStack,
  head: H,
  task: Task<C>,
  train: Split,
  dev: Split,
  o: PretrainOptions,
): Pretrained<H> {
  const cols = { train: task.columns(train), dev: task.columns(dev) };
  const accuracyOf = (s: Split, c: C) =>
    tf.tidy(() => task.accuracy(task.logits(s, c, allRows(task.examples(c)), false), s, c));
  const measure = (): Accuracy => ({ train: accuracyOf(train, cols.train), dev: accuracyOf(dev, cols.dev) });
  const before = measure();
  const params = new Map([...stack.namedVariables(), ...head.namedVariables()]);
  const run = fit(
    params,
    (batch) => {
      const rows = tf.tensor1d(batch, 'int32');
      return task.loss(task.logits(train, cols.train, rows, true), train, cols.train, rows);
    },
    fitOptions(task.examples(cols.train), o),
  );
  const after = measure();
  tf.dispose([cols.train as tf.TensorContainer, cols.dev as tf.TensorContainer]);
  return { stack, head, before, after, epochs: run.epochs };
}

const meanEqual = (a: tf.Tensor, b: tf.Tensor) => tf.mean(tf.cast(tf.equal(a, b), 'float32')).dataSync()[0] as number;

/** Pre-trains a fresh factual adapter on T-REx relation classification (fac-adapter.py). */
export function pretrainFactual(
  train: Split,
  dev: Split,
  labels: string[],
  o: PretrainOptions,
): Pretrained<HeadModule<typeof facPretraining>> {
  const stack = KAdapterStack.create('factual', o.config, o.hiddenSize, { seed: o.seed });
  const head = createHead(
    facPretraining,
    { kind: 'fac-pretraining', hiddenSize: o.hiddenSize, labels, dropout: 0.1 },
    { seed: o.seed + 1 },
  );
  type Cols = { subj: tf.Tensor1D; obj: tf.Tensor1D; labels: tf.Tensor1D };
  const task: Task<Cols> = {
    columns: (s) => ({
      subj: toTensor(s.features.tensors.get('subj_marker'), 'subj_marker') as tf.Tensor1D,
      obj: toTensor(s.features.tensors.get('obj_marker'), 'obj_marker') as tf.Tensor1D,
      labels: toTensor(s.features.tensors.get('labels'), 'labels') as tf.Tensor1D,
    }),
    examples: (c) => c.labels.shape[0],
    logits: (s, c, rows, training) => {
      const out = backboneRows(s.states, rows);
      const a = stack.apply(out, { training }).output;
      const selectors = { last: out.last, subj: tf.gather(c.subj, rows), obj: tf.gather(c.obj, rows) };
      return head.apply(a, selectors, { training });
    },
    loss: (logits, _s, c, rows) => head.loss(logits, tf.gather(c.labels, rows)),
    accuracy: (logits, _s, c) => meanEqual(tf.argMax(logits, -1), c.labels),
  };
  return pretrain(stack, head, task, train, dev, o);
}

/**
 * Pre-trains a fresh linguistic adapter on dependency head prediction (lin-adapter.py, faithful
 * labels): per token, which position is its head. Accuracy is over tokens with mask 1, as the
 * official evaluation.
 */
export function pretrainLinguistic(
  train: Split,
  dev: Split,
  maxLen: number,
  o: PretrainOptions,
): Pretrained<HeadModule<typeof linPretraining>> {
  const stack = KAdapterStack.create('linguistic', o.config, o.hiddenSize, { seed: o.seed });
  const head = createHead(
    linPretraining,
    { kind: 'lin-pretraining', hiddenSize: o.hiddenSize, numClasses: maxLen, dropout: 0.1, layerNormEps: 1e-5 },
    { seed: o.seed + 1 },
  );
  const task: Task<tf.Tensor2D> = {
    columns: (s) => toTensor(s.features.tensors.get('labels'), 'labels') as tf.Tensor2D,
    examples: (c) => c.shape[0],
    logits: (s, _c, rows, training) => {
      const out = backboneRows(s.states, rows);
      const a = stack.apply(out, { training }).output;
      return head.apply(a, { last: out.last, mask: out.mask }, { training });
    },
    loss: (logits, s, c, rows) =>
      head.loss(logits, {
        labels: tf.gather(c, rows) as tf.Tensor2D,
        mask: tf.gather(s.states.mask, rows) as tf.Tensor2D,
      }),
    accuracy: (logits, s, c) => {
      const mask = s.states.mask;
      const hits = tf.sum(tf.mul(tf.cast(tf.equal(tf.argMax(logits, -1), c), 'float32'), mask));
      return tf.div(hits, tf.sum(mask)).dataSync()[0] as number;
    },
  };
  return pretrain(stack, head, task, train, dev, o);
}
