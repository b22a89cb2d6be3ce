import { InputError } from '@kadapter/core';
import { type ForwardOptions, type Head, ParamModule, type ParamSet, tfOps } from '@kadapter/nn';
import * as tf from '@tensorflow/tfjs';
import type {
  AnyHeadKind,
  ConfigOf,
  DefOf,
  HeadOutputs,
  HostTensor,
  LabelsOf,
  PredictionOf,
  SelectorsOf,
} from './kind.js';

/** Selector or label tensors by name; a head that reads exactly one may be given that tensor alone. */
export type NamedInputs<N extends string> =
  | Readonly<Record<N, tf.Tensor>>
  | ([N] extends [never] ? undefined : tf.Tensor);

const host = (t: tf.Tensor): HostTensor => ({ shape: t.shape, data: t.dataSync() });

/**
 * A head of any kind on tfjs: its config, its parameters (a ParamSet of the kind's definition),
 * and the kind's forward, loss and predictions. Data checks run before the forward and the loss.
 */
export class HeadModule<K extends AnyHeadKind = AnyHeadKind>
  extends ParamModule<DefOf<K>>
  implements Head<NamedInputs<SelectorsOf<K>> | undefined, NamedInputs<LabelsOf<K>>, PredictionOf<K>>
{
  constructor(
    readonly definition: K,
    readonly config: ConfigOf<K>,
    set: ParamSet<DefOf<K>>,
  ) {
    super(set);
  }

  get kind(): string {
    return this.definition.kind;
  }

  /** class names in logit order, when the head has named classes */
  get labels(): readonly string[] | undefined {
    return this.definition.classes?.(this.config);
  }

  /** The logits and the kind's extra outputs (e.g. attention probabilities); the caller disposes them. */
  forward(
    features: tf.Tensor,
    selectors?: NamedInputs<SelectorsOf<K>>,
    options: ForwardOptions = {},
  ): HeadOutputs<tf.Tensor> {
    const s = this.named(selectors, this.definition.selectors, 'selectors');
    this.definition.checkSelectors?.(
      this.config,
      Object.fromEntries(Object.entries(s).map(([k, t]) => [k, host(t)])),
      features.shape,
    );
    return tf.tidy(() => this.definition.forward(tfOps, this.p, this.config, features, s, options));
  }

  /** The logits of a batch. */
  apply(features: tf.Tensor, selectors?: NamedInputs<SelectorsOf<K>>, options: ForwardOptions = {}): tf.Tensor {
    const { logits, ...extras } = this.forward(features, selectors, options);
    tf.dispose(Object.values(extras));
    return logits;
  }

  loss(logits: tf.Tensor, labels: NamedInputs<LabelsOf<K>>): tf.Scalar {
    const l = this.named(labels, this.definition.labels, 'labels');
    this.definition.checkLabels?.(
      this.config,
      Object.fromEntries(Object.entries(l).map(([k, t]) => [k, host(t)])),
      logits.shape,
    );
    return tf.tidy(() => this.definition.loss(tfOps, logits, l, this.config)) as tf.Scalar;
  }

  predict(logits: tf.Tensor): PredictionOf<K> {
    return this.definition.predict(this.config, host(logits)) as PredictionOf<K>;
  }

  private named(
    given: Readonly<Record<string, tf.Tensor>> | tf.Tensor | undefined,
    names: readonly string[],
    what: string,
  ): Record<string, tf.Tensor> {
    const record: Record<string, tf.Tensor> =
      given instanceof tf.Tensor && names.length === 1
        ? { [names[0] as string]: given }
        : ((given ?? {}) as Record<string, tf.Tensor>);
    const missing = names.filter((n) => !(record[n] instanceof tf.Tensor));
    if (missing.length > 0) {
      throw new InputError(`${this.kind} head: ${what} ${missing.map((n) => `'${n}'`).join(', ')} not given`, {
        field: what,
      });
    }
    return Object.fromEntries(names.map((n) => [n, record[n] as tf.Tensor]));
  }
}
