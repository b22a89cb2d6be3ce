import type { Def, Init, ListDef, PrefixedDef, RecordDef, TensorDef } from './def.js';

/** Initialisers. `torchUniform(fanIn)` is PyTorch's default for nn.Linear weight and bias. */
export const init = {
  uniform: (bound: number): Init => ({ kind: 'uniform', bound }),
  torchUniform: (fanIn: number): Init => ({ kind: 'uniform', bound: 1 / Math.sqrt(fanIn) }),
  normal: (std: number): Init => ({ kind: 'normal', std }),
  zeros: { kind: 'constant', value: 0 } as Init,
  ones: { kind: 'constant', value: 1 } as Init,
  eye: { kind: 'eye' } as Init,
};

/** One tensor of `shape` (memory layout). */
export function tensor(shape: readonly number[], initial: Init, layout: TensorDef['layout'] = 'same'): TensorDef {
  return { tag: 'tensor', shape: [...shape], layout, init: initial };
}

/** Named children, stored under their keys (wrap a child in `prefixed` to store it under another name). */
export function record<F extends Readonly<Record<string, Def | undefined>>>(fields: F): RecordDef<F> {
  return { tag: 'record', fields };
}

/** `n` children built by `item(i)`, named `0..n-1`. */
export function list<E extends Def>(n: number, item: (i: number) => E): ListDef<E> {
  return { tag: 'list', items: Array.from({ length: n }, (_, i) => item(i)) };
}

/** `def` stored under the file name `prefix` (dots allowed: `output.LayerNorm`; '' = no segment). */
export function prefixed<D extends Def>(prefix: string, def: D): PrefixedDef<D> {
  return { tag: 'prefixed', prefix, def };
}

export interface LinearInit {
  weight: Init;
  bias: Init;
}

export type LinearDef = RecordDef<{ weight: TensorDef; bias?: TensorDef }>;

/**
 * PyTorch `nn.Linear(inDim, outDim)`: `weight` [in, out] in memory ([out, in] in files), `bias`
 * [out] (omitted with `bias: false`). Default init: PyTorch's U(±1/√in) for weight and bias.
 */
export function linear(inDim: number, outDim: number, options: { init?: LinearInit; bias?: boolean } = {}): LinearDef {
  const initial = options.init ?? { weight: init.torchUniform(inDim), bias: init.torchUniform(inDim) };
  const weight = tensor([inDim, outDim], initial.weight, 'transposed');
  return options.bias === false ? record({ weight }) : record({ weight, bias: tensor([outDim], initial.bias) });
}

/** K-Adapter's down/up projections: weight ~ N(0, std²), bias 0 (kadapter-spec.md §1.4). */
export function normalLinear(inDim: number, outDim: number, std: number): LinearDef {
  return linear(inDim, outDim, { init: { weight: init.normal(std), bias: init.zeros } });
}

export type LayerNormDef = RecordDef<{ weight: TensorDef; bias: TensorDef }>;

/** torch.nn.LayerNorm(dim): weight 1, bias 0. */
export function layerNorm(dim: number): LayerNormDef {
  return record({ weight: tensor([dim], init.ones), bias: tensor([dim], init.zeros) });
}

export type EmbeddingDef = RecordDef<{ weight: TensorDef }>;

/** torch.nn.Embedding(rows, dim): `weight` [rows, dim] (BERT's init N(0, 0.02²) unless given). */
export function embedding(rows: number, dim: number, initial: Init = init.normal(0.02)): EmbeddingDef {
  return record({ weight: tensor([rows, dim], initial) });
}
