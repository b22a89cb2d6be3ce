import { dropout, type ForwardOptions, linear, linearDef, type Ops, type Params, record } from '@kadapter/nn';

/** `dense` Linear(in→H), `out_proj` Linear(H→C), official names. */
export function classifierDef(inDim: number, hidden: number, classes: number) {
  return record({ dense: linearDef(inDim, hidden), out_proj: linearDef(hidden, classes) });
}

export type ClassifierParams<T> = Params<ReturnType<typeof classifierDef>, T>;

/** The official heads' `out_proj(dropout(dense(x)))`, with no nonlinearity (kadapter-spec.md §8.7). */
export function classify<T>(o: Ops<T>, x: T, p: ClassifierParams<T>, rate: number, options: ForwardOptions): T {
  return linear(o, dropout(o, linear(o, x, p.dense), rate, options), p.out_proj);
}
