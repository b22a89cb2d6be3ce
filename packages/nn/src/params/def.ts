/**
 * A block's parameters, described once: a tree whose leaves are tensors with their shape, file
 * layout and initialisation, and whose nodes carry the PyTorch name segments. Everything else
 * about parameters is derived from it: the expected tensors of a checkpoint (`weightSpec`), a
 * fresh initialisation, reading (verified, one tensor at a time) and writing under the PyTorch
 * names, and the named variables an optimizer updates (see `ParamSet`).
 *
 * Build definitions with the combinators of `combinators.ts` (`tensor`, `linear`, `layerNorm`,
 * `embedding`, `record`, `list`, `prefixed`) and the block definitions built from them
 * (`attentionDef`, `bertLayerDef`, ...).
 */

/** How a tensor starts: U(-bound, bound), N(0, std²), a constant, or the identity matrix. */
export type Init =
  | { readonly kind: 'uniform'; readonly bound: number }
  | { readonly kind: 'normal'; readonly std: number }
  | { readonly kind: 'constant'; readonly value: number }
  | { readonly kind: 'eye' };

/** One parameter tensor. */
export interface TensorDef {
  readonly tag: 'tensor';
  /** shape in memory (tfjs layout: a linear weight is [in, out]) */
  readonly shape: readonly number[];
  /**
   * `transposed`: stored in files as the transpose of the in-memory 2-D tensor (PyTorch keeps a
   * linear weight as [out, in]); `same`: stored as is.
   */
  readonly layout: 'same' | 'transposed';
  readonly init: Init;
}

/**
 * Named children. Child `k` is stored under the file name `k`, unless it is a `PrefixedDef`
 * (then under its prefix). An absent (undefined) child has no tensors (e.g. a linear without bias).
 */
export interface RecordDef<F extends Readonly<Record<string, Def | undefined>>> {
  readonly tag: 'record';
  readonly fields: F;
}

/** Numbered children, named `0`, `1`, ... in files. */
export interface ListDef<E extends Def> {
  readonly tag: 'list';
  readonly items: readonly E[];
}

/** A child whose file name is `prefix` instead of its key (e.g. `output.LayerNorm` for `outputLayerNorm`). */
export interface PrefixedDef<D extends Def> {
  readonly tag: 'prefixed';
  readonly prefix: string;
  readonly def: D;
}

// biome-ignore lint/suspicious/noExplicitAny: the field types of a record are checked where it is built
export type Def = TensorDef | RecordDef<any> | ListDef<any> | PrefixedDef<any>;

/** The parameter tree a definition describes, with tensors of type `T` at the leaves. */
export type Params<D, T> = 0 extends 1 & D
  ? unknown // D is \`any\` (e.g. the constraint Def): nothing to map
  : D extends TensorDef
    ? T
    : D extends PrefixedDef<infer Inner>
      ? Params<Inner, T>
      : D extends ListDef<infer E>
        ? Params<E, T>[]
        : D extends RecordDef<infer F>
          ? { -readonly [K in keyof F]: Params<F[K], T> }
          : never;
