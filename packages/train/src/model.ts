import { ConfigError, type HostTensor, type InputSource, type MetricSet, type TaskInputs } from '@kadapter/core';
import type { AdapterStack, Backbone, BackboneOutput, Fusion, Head, SequenceData, Trainable } from '@kadapter/nn';
import * as tf from '@tensorflow/tfjs';
import { column, exampleCount, type FeatureColumns, takeRows, toIntTensor } from './features.js';
import type { Part, Policy } from './policy.js';
import { BackboneStates } from './states.js';

/** A head whose selectors and labels are named tensors (any @kadapter/heads head). */
export type NamedHead = Head<Readonly<Record<string, tf.Tensor>> | undefined, Readonly<Record<string, tf.Tensor>>>;

/** The parts of a composition run on a task. */
export interface TaskParts {
  backbone: Backbone;
  /** adapters by name; without a fusion there is at most one, whose output the head reads */
  adapters: ReadonlyMap<string, AdapterStack>;
  /** combines the backbone's last layer with the adapter outputs; absent in pre-training */
  fusion?: Fusion;
  head: NamedHead;
}

/** What a TaskModel needs of a task: how features feed the head, and how many sequences an example has. */
export interface TaskShape {
  readonly name: string;
  readonly inputs: TaskInputs;
  readonly metrics: MetricSet;
  readonly sequencesPerExample?: number;
}

export interface TaskModelOptions {
  /** host-memory budget of the frozen backbone's output cache (see BackboneStates) */
  cacheBudgetBytes?: number;
  /** one-line notices (e.g. the cache does not fit) */
  notice?: (line: string) => void;
  /** names the features in errors */
  source?: string;
}

export interface StepOptions {
  /** parts in training mode (dropout on); none when evaluating */
  dropout?: ReadonlySet<Part>;
  random?: () => number;
}

/**
 * A composition (backbone → adapters → fusion → head) on the encoded examples of a task: the
 * logits, loss and metrics of any batch of examples. The task's `inputs` say which feature columns
 * (or backbone outputs) become the head's selectors and labels. The backbone's outputs of a
 * frozen backbone are computed once per example and cached (see BackboneStates).
 */
export class TaskModel {
  readonly examples: number;
  private readonly states: BackboneStates;
  private readonly perExample: number;

  constructor(
    readonly task: TaskShape,
    readonly parts: TaskParts,
    readonly columns: FeatureColumns,
    options: TaskModelOptions = {},
  ) {
    const source = options.source ?? task.name;
    this.examples = exampleCount(columns, source);
    this.perExample = task.sequencesPerExample ?? 1;
    if (!parts.fusion && parts.adapters.size > 1) {
      throw new ConfigError(`${parts.adapters.size} adapters need a fusion to combine them`, { field: 'fusion' });
    }
    const taps = [...new Set([...parts.adapters.values()].flatMap((a) => a.config.taps))].sort((a, b) => a - b);
    const sequences = this.sequences(source);
    parts.backbone.validateInput(sequences, source);
    this.states = new BackboneStates(parts.backbone, sequences, {
      taps,
      ...(options.cacheBudgetBytes === undefined ? {} : { budgetBytes: options.cacheBudgetBytes }),
      ...(options.notice ? { notice: options.notice } : {}),
    });
  }

  /** rows computed by the backbone and rows read from its output cache so far */
  get backboneCounts(): { computed: number; cached: number } {
    return this.states.counts;
  }

  /** The logits of examples `rows` (in a tidy or gradient scope of the caller). */
  logits(rows: readonly number[], options: StepOptions = {}): tf.Tensor {
    const on = (part: Part) => options.dropout?.has(part) ?? false;
    const forward = (part: Part) => ({ training: on(part), ...(options.random ? { random: options.random } : {}) });
    const out = this.states.get(this.sequenceRows(rows), forward('backbone'));
    const adapterOutputs: Record<string, tf.Tensor3D> = {};
    for (const [name, stack] of this.parts.adapters)
      adapterOutputs[name] = stack.apply(out, forward('adapters')).output;
    const features = this.parts.fusion
      ? this.parts.fusion.apply(out.last, adapterOutputs, forward('fusion'))
      : (Object.values(adapterOutputs)[0] ?? out.last);
    const selectors = this.inputs(this.task.inputs.selectors, rows, out);
    return this.parts.head.apply(features, selectors, forward('head'));
  }

  /** The head's loss on examples `rows`. */
  loss(rows: readonly number[], options: StepOptions = {}): tf.Scalar {
    const logits = this.logits(rows, options);
    const out = this.labelsNeedBackbone() ? this.states.get(this.sequenceRows(rows)) : undefined;
    return this.parts.head.loss(logits, this.inputs(this.task.inputs.labels, rows, out));
  }

  /** The task's metrics over `rows` (all examples by default), in eval mode, `batchSize` at a time. */
  evaluate(batchSize: number, rows?: readonly number[]): Record<string, number> {
    const all = rows ?? Array.from({ length: this.examples }, (_, i) => i);
    const acc = this.task.metrics.create();
    for (let i = 0; i < all.length; i += batchSize) {
      const batch = all.slice(i, i + batchSize);
      let logits: HostTensor | undefined;
      let labels: Record<string, HostTensor> = {};
      tf.tidy(() => {
        logits = host(this.logits(batch));
        const out = this.labelsNeedBackbone() ? this.states.get(this.sequenceRows(batch)) : undefined;
        const named = this.inputs(this.task.inputs.labels, batch, out);
        labels = Object.fromEntries(Object.entries(named).map(([k, t]) => [k, host(t)]));
      });
      acc.add(logits as HostTensor, labels);
    }
    return acc.result();
  }

  /**
   * The variables a policy trains, under `<part>/<name>` (adapters `adapter:<name>/...`), and the
   * groups clipped together. Parts the policy trains are unfrozen first.
   */
  parameters(policy: Policy): { all: Map<string, tf.Variable>; clipGroups: Array<Map<string, tf.Variable>> } {
    const byPart = new Map<Part, Map<string, tf.Variable>>();
    const named = (prefix: string, module: Pick<Trainable, 'namedVariables' | 'unfreeze'>) => {
      module.unfreeze();
      return [...module.namedVariables()].map(([n, v]) => [`${prefix}/${n}`, v] as const);
    };
    for (const part of policy.trained) {
      const entries =
        part === 'backbone'
          ? named('backbone', this.parts.backbone)
          : part === 'adapters'
            ? [...this.parts.adapters].flatMap(([name, a]) => named(`adapter:${name}`, a))
            : part === 'fusion'
              ? this.parts.fusion
                ? named('fusion', this.parts.fusion)
                : []
              : named('head', this.parts.head);
      byPart.set(part, new Map(entries));
    }
    const all = new Map([...byPart.values()].flatMap((m) => [...m]));
    const clipGroups = policy.clipGroups.map((g) => new Map(g.flatMap((p) => [...(byPart.get(p) ?? [])])));
    return { all, clipGroups: clipGroups.filter((g) => g.size > 0) };
  }

  private labelsNeedBackbone(): boolean {
    return Object.values(this.task.inputs.labels).some((s) => 'backbone' in s);
  }

  /** The backbone's sequence rows of examples `rows` (C per example for multiple choice). */
  private sequenceRows(rows: readonly number[]): number[] {
    const c = this.perExample;
    return c === 1 ? [...rows] : rows.flatMap((r) => Array.from({ length: c }, (_, k) => r * c + k));
  }

  /** input_ids and attention_mask as [sequences, L] (multiple choice: [N·C, L]). */
  private sequences(source: string): SequenceData {
    const flat = (t: HostTensor) => {
      const l = t.shape.at(-1) as number;
      return { shape: [t.data.length / l, l], data: t.data };
    };
    return {
      inputIds: flat(column(this.columns, 'input_ids', source)),
      attentionMask: flat(column(this.columns, 'attention_mask', source)),
    };
  }

  private inputs(
    spec: Readonly<Record<string, InputSource>>,
    rows: readonly number[],
    out: BackboneOutput | undefined,
  ): Record<string, tf.Tensor> {
    return Object.fromEntries(
      Object.entries(spec).map(([name, s]) => {
        if ('feature' in s) return [name, toIntTensor(takeRows(column(this.columns, s.feature), rows))];
        if (!out) throw new Error('internal: backbone input without a backbone output');
        return [name, s.backbone === 'last' ? out.last : out.mask];
      }),
    );
  }
}

function host(t: tf.Tensor): HostTensor {
  return { shape: t.shape, data: t.dataSync() };
}
