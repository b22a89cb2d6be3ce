/**
 * The op vocabulary every model block is written against. A block is a pure function
 * `(ops, inputs, params, options) => outputs` over these ops only, so the same definition runs
 * eagerly on tfjs (`tfOps`) and can be traced into a graph by another engine (each op then needs a
 * forward and a backward rule there). Keep it small: a new op is a new rule in every engine.
 *
 * Conventions, the same for every engine:
 * - float32 for everything that carries gradients; int32 for token ids, class ids and positions.
 * - Shapes are static: `shape(x)` is always known (engines that trace build one graph per shape).
 * - Binary elementwise ops broadcast with NumPy rules; a `number` operand is a float32 scalar.
 * - Axes are non-negative or negative (from the end); reductions drop the axes unless `keepDims`.
 * - Ops never read tensor data back: data-dependent checks (ids in range, labels in range) belong
 *   where the batch is assembled, before the forward.
 */
export type Operand<T> = T | number;

export interface Ops<T> {
  /** engine name, reported in errors and benchmarks (`tfjs`, `ort`) */
  readonly engine: string;

  /** static shape of `x` */
  shape(x: T): number[];

  add(a: Operand<T>, b: Operand<T>): T;
  sub(a: Operand<T>, b: Operand<T>): T;
  mul(a: Operand<T>, b: Operand<T>): T;
  div(a: Operand<T>, b: Operand<T>): T;
  neg(x: T): T;
  exp(x: T): T;
  log(x: T): T;
  /** log(1 + x) */
  log1p(x: T): T;
  sqrt(x: T): T;
  abs(x: T): T;
  /** the Gauss error function (exact GELU) */
  erf(x: T): T;
  tanh(x: T): T;
  relu(x: T): T;

  /** sum over `axes` (default: all) */
  sum(x: T, axes?: number | readonly number[], keepDims?: boolean): T;
  /** mean over `axes` (default: all) */
  mean(x: T, axes?: number | readonly number[], keepDims?: boolean): T;

  /**
   * `a · b` over the last two axes: [..., m, k] x [..., k, n] -> [..., m, n] (equal leading
   * axes, no broadcasting); with `transposeB`, b is [..., n, k].
   */
  matmul(a: T, b: T, transposeB?: boolean): T;
  /** `x · weight + bias` over the last axis: x [..., in], weight [in, out], bias [out] -> [..., out] */
  linear(x: T, weight: T, bias?: T): T;
  /** softmax over the last axis */
  softmax(x: T): T;
  /** log-softmax over the last axis */
  logSoftmax(x: T): T;
  /** LayerNorm over the last axis with the biased variance, as torch.nn.LayerNorm */
  layerNorm(x: T, weight: T, bias: T, eps: number): T;
  /**
   * Rows of `table` [V, D] at int32 `ids` of any shape -> [...ids.shape, D]. With `paddingIdx`, as
   * torch.nn.Embedding(padding_idx=...): that row receives no gradient.
   */
  gather(table: T, ids: T, paddingIdx?: number): T;
  /** int32 `ids` [...] -> float32 one-hot [..., depth]; ids outside [0, depth) give a zero row */
  oneHot(ids: T, depth: number): T;
  /**
   * Training-mode dropout: zeroes each element with probability `rate` and scales the rest by
   * 1/(1 - rate). `seed` makes the mask reproducible. Blocks call it only while training.
   */
  dropout(x: T, rate: number, seed?: number): T;

  /** converts between float32 and int32 (int32 truncates toward zero); no gradient flows to int32 */
  cast(x: T, dtype: 'float32' | 'int32'): T;

  /** one entry may be -1 (inferred) */
  reshape(x: T, shape: readonly number[]): T;
  transpose(x: T, perm: readonly number[]): T;
  concat(xs: readonly T[], axis: number): T;
  /** `size[i] = -1` takes everything from `begin[i]` to the end */
  slice(x: T, begin: readonly number[], size: readonly number[]): T;

  /**
   * Runs `fn` and releases the intermediate tensors it created, keeping what it returns (tfjs:
   * `tf.tidy`). Engines without eager memory just call `fn`.
   */
  scope<R>(fn: () => R): R;
  /** releases `x` now where the engine holds memory eagerly; a no-op elsewhere */
  dispose(x: T): void;
}
