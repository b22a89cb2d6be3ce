import type { HostTensor } from './host-tensor.js';
import type { TaskEncoder } from './task-encoder.js';

/**
 * Where a head reads one of its named inputs from, for a batch: a column of the encoded features
 * (`[N, ...]`, e.g. `subj_marker`), or what the backbone gives (its last layer, the attention mask).
 */
export type InputSource = { readonly feature: string } | { readonly backbone: 'last' | 'mask' };

/** How the encoded features feed a head: its selectors and its labels, by name. */
export interface TaskInputs {
  readonly selectors: Readonly<Record<string, InputSource>>;
  readonly labels: Readonly<Record<string, InputSource>>;
}

/** Running metrics: logits and labels of batch after batch, then the figures. */
export interface MetricAccumulator {
  add(logits: HostTensor, labels: Readonly<Record<string, HostTensor>>): void;
  result(): Record<string, number>;
}

/** The metrics of a task and the one that picks the best checkpoint. */
export interface MetricSet {
  readonly names: readonly string[];
  readonly primary: { readonly name: string; readonly higherIsBetter: boolean };
  create(): MetricAccumulator;
}

/** What a task's head is built for. */
export interface TaskContext {
  /** width of the features the head reads (the backbone's hidden size) */
  hiddenSize: number;
  /** L, the padded sequence length */
  maxLength: number;
  /** class names the encoder's label ids index (its `labelNames`), when the task has them */
  labels?: readonly string[];
}

/**
 * A supervised task on encoded examples: the pre-training of a knowledge adapter, or fine-tuning
 * on a benchmark. Everything is data or a pure function, so any trainer and engine can run it: the
 * encoder turns official-format examples into int32 features, `head` names the head (a registered
 * head kind and its config), `inputs` says which features feed the head's selectors and labels,
 * `metrics` says how well it does.
 */
export interface Task {
  /** e.g. "trex" (T-REx relation classification), "find_head", "openentity" */
  readonly name: string;
  /** one line */
  readonly description: string;
  readonly encoder: TaskEncoder;
  /** the head config (`kind` = a registered head kind) for this context */
  head(context: TaskContext): { kind: string; hiddenSize: number } & Record<string, unknown>;
  readonly inputs: TaskInputs;
  readonly metrics: MetricSet;
  /** sequences per example (multiple choice: the choices; features `input_ids` [N, C, L]); default 1 */
  readonly sequencesPerExample?: number;
}
