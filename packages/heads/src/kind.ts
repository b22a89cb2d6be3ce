import type { Schema } from '@kadapter/core';
import type { Def, ForwardOptions, Ops, Params } from '@kadapter/nn';

/** What every head config has: its kind and the width of the features it reads (plus its kind's fields). */
export type HeadConfigBase = { kind: string; hiddenSize: number } & Record<string, unknown>;

/** Tensor data on the host (for checks before a forward and for predictions), row-major. */
export interface HostTensor {
  readonly shape: readonly number[];
  readonly data: ArrayLike<number>;
}

/** What a head's forward returns: its logits, plus named extras (e.g. attention probabilities). */
export type HeadOutputs<T> = { logits: T } & Record<string, T>;

/**
 * One kind of head, defined once: its config schema, its parameters, a pure forward and loss over
 * the op vocabulary (so every engine runs it), the checks of input data that a forward cannot do,
 * and the prediction rule. Selectors (where the head reads, e.g. marker positions) and labels are
 * named tensors. Register a kind with `registerHead` to use it in setups and from config files.
 */
export interface HeadKind<
  C extends HeadConfigBase = HeadConfigBase,
  D extends Def = Def,
  S extends string = string,
  L extends string = string,
  P = unknown,
> {
  readonly kind: C['kind'];
  /** one line: what the head does and which official class it mirrors */
  readonly description: string;
  /** validates a config (zod); its message names the field at fault */
  readonly schema: Schema<C>;
  /** names of the selector tensors `forward` reads */
  readonly selectors: readonly S[];
  /** names of the label tensors `loss` reads */
  readonly labels: readonly L[];
  /** class names in logit order, when the head has named classes */
  classes?(config: C): readonly string[];
  /** the parameters (official names, PyTorch default init unless stated) */
  params(config: C): D;
  forward<T>(
    o: Ops<T>,
    p: Params<D, T>,
    config: C,
    features: T,
    selectors: Readonly<Record<S, T>>,
    options: ForwardOptions,
  ): HeadOutputs<T>;
  /** a scalar loss of the logits against the labels */
  loss<T>(o: Ops<T>, logits: T, labels: Readonly<Record<L, T>>, config: C): T;
  /** refuses selector data a forward would read wrongly (e.g. a position outside the sequence) */
  checkSelectors?(config: C, selectors: Readonly<Record<S, HostTensor>>, featureShape: readonly number[]): void;
  /** refuses label data the loss would silently mis-count (e.g. a class outside [0, C)) */
  checkLabels?(config: C, labels: Readonly<Record<L, HostTensor>>, logitShape: readonly number[]): void;
  /** predictions from logits, per example */
  predict(config: C, logits: HostTensor): P;
}

/** Identity with inference: `defineHead({...})` types a kind from its parts. */
export function defineHead<C extends HeadConfigBase, D extends Def, S extends string, L extends string, P>(
  kind: HeadKind<C, D, S, L, P>,
): HeadKind<C, D, S, L, P> {
  return kind;
}

// biome-ignore lint/suspicious/noExplicitAny: any kind, whatever its config, selectors and labels
export type AnyHeadKind = HeadKind<any, any, any, any, any>;
export type ConfigOf<K> = K extends { schema: Schema<infer C> } ? C : never;
export type DefOf<K> = K extends { params(config: never): infer D } ? D : never;
export type SelectorsOf<K> = K extends { selectors: readonly (infer S)[] } ? S : never;
export type LabelsOf<K> = K extends { labels: readonly (infer L)[] } ? L : never;
export type PredictionOf<K> = K extends { predict(config: never, logits: HostTensor): infer P } ? P : never;
