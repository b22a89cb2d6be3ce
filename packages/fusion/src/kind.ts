import type { Schema } from '@kadapter/core';
import type { Def, ForwardOptions, Ops, Params } from '@kadapter/nn';

/** What every fusion config has: its kind and the adapters it combines, in order (plus its kind's fields). */
export type FusionConfigBase = { kind: string; adapters: string[] } & Record<string, unknown>;

/** What a fusion's forward returns: the fused features, plus named extras (e.g. attention weights). */
export type FusionOutputs<T> = { output: T } & Record<string, T>;

/**
 * One kind of fusion, defined once: its config schema, its parameters and a pure forward over
 * the op vocabulary that combines the backbone's last layer with the adapter outputs (given in
 * `config.adapters` order, each checked to be [B, L, H] like the last layer). Register a kind with
 * `registerFusion` to use it in setups and from config files.
 */
export interface FusionKind<C extends FusionConfigBase = FusionConfigBase, D extends Def = Def> {
  readonly kind: C['kind'];
  /** one line: what it computes and where it comes from */
  readonly description: string;
  readonly schema: Schema<C>;
  params(config: C): D;
  forward<T>(
    o: Ops<T>,
    p: Params<D, T>,
    config: C,
    last: T,
    outputs: readonly T[],
    options: ForwardOptions,
  ): FusionOutputs<T>;
}

/** Identity with inference: `defineFusion({...})` types a kind from its parts. */
export function defineFusion<C extends FusionConfigBase, D extends Def>(kind: FusionKind<C, D>): FusionKind<C, D> {
  return kind;
}

// biome-ignore lint/suspicious/noExplicitAny: any kind, whatever its config
export type AnyFusionKind = FusionKind<any, any>;
export type FusionConfigOf<K> = K extends { schema: Schema<infer C> } ? C : never;
export type FusionDefOf<K> = K extends { params(config: never): infer D } ? D : never;
