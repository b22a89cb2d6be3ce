import * as tf from '@tensorflow/tfjs';
import type { NamedTensors } from '../contracts/index.js';
import type { Def, Params } from './def.js';
import { initialValues, randomStream } from './init.js';
import { type Shaped, storedShape, verifyWeights, weightSpec } from './verify.js';
import { buildParams, type Leaf, leaves, mapParams, paramLeaves } from './walk.js';

export interface ParamSetOptions {
  /** tf.Variables that an optimizer updates (true), or plain tensors: a frozen module (false) */
  trainable?: boolean;
}

export interface CreateParamsOptions extends ParamSetOptions {
  /** seed of the initialisation: the same seed gives the same values on every backend */
  seed?: number | string;
}

export interface ReadParamsOptions extends ParamSetOptions {
  /** names of extra stored tensors to tolerate (handled elsewhere, e.g. a pre-training head) */
  ignore?: (name: string) => boolean;
}

/** Stored tensors that can be listed with their shapes before any is read (an open weights file). */
export interface TensorSource {
  /** file (or label) named in errors */
  readonly path: string;
  readonly entries: ReadonlyMap<string, Shaped>;
  /** reads one tensor; the caller owns it */
  readTensor(name: string): Promise<tf.Tensor>;
}

/**
 * The parameters of a block as tfjs tensors: created fresh, or read from PyTorch-named tensors
 * (verified first: one error names every missing, extra or misshaped tensor), and written back
 * under the same names. Trainable sets hold tf.Variables; frozen ones hold plain tensors.
 */
export class ParamSet<D extends Def> {
  private constructor(
    readonly def: D,
    private tree: Params<D, tf.Tensor>,
    private isTrainable: boolean,
  ) {}

  /** Fresh values from the definition's initialisers (trainable unless told otherwise). */
  static create<D extends Def>(def: D, options: CreateParamsOptions = {}): ParamSet<D> {
    const random = randomStream(options.seed);
    const tree = buildParams(def, (leaf) => tf.tensor(initialValues(leaf.def, random), [...leaf.def.shape]));
    return ParamSet.wrap(def, tree, options.trainable ?? true);
  }

  /**
   * From PyTorch-named tensors in memory (`source` names the file in errors); `named` is neither
   * modified nor disposed. Frozen unless `trainable`.
   */
  static fromWeights<D extends Def>(
    def: D,
    named: ReadonlyMap<string, tf.Tensor>,
    source: string,
    options: ReadParamsOptions = {},
  ): ParamSet<D> {
    verifyWeights(named, weightSpec(def), source, options.ignore);
    const tree = buildParams(def, (leaf) => fromStored(leaf, named.get(leaf.name) as tf.Tensor, false));
    return ParamSet.wrap(def, tree, options.trainable ?? false);
  }

  /**
   * From a weights file, verified before any data is read, then read one tensor at a time (at most
   * one stored tensor exists besides the result). Frozen unless `trainable`.
   */
  static async read<D extends Def>(
    def: D,
    source: TensorSource,
    options: ReadParamsOptions = {},
  ): Promise<ParamSet<D>> {
    verifyWeights(source.entries, weightSpec(def), source.path, options.ignore);
    const values = new Map<string, tf.Tensor>();
    try {
      for (const leaf of leaves(def)) values.set(leaf.name, fromStored(leaf, await source.readTensor(leaf.name), true));
    } catch (err) {
      tf.dispose([...values.values()]);
      throw err;
    }
    const tree = buildParams(def, (leaf) => values.get(leaf.name) as tf.Tensor);
    return ParamSet.wrap(def, tree, options.trainable ?? false);
  }

  private static wrap<D extends Def>(def: D, tree: Params<D, tf.Tensor>, trainable: boolean): ParamSet<D> {
    const set = new ParamSet(def, tree, false);
    if (trainable) set.unfreeze();
    return set;
  }

  /** The parameter tree (tfjs layout: a linear weight is [in, out]). */
  get params(): Params<D, tf.Tensor> {
    return this.tree;
  }

  get trainable(): boolean {
    return this.isTrainable;
  }

  /** Turns the tensors into trainable tf.Variables (in place; the tree is rebuilt). */
  unfreeze(): void {
    if (this.isTrainable) return;
    this.tree = mapParams(this.def, this.tree, (t) => {
      const v = tf.variable(t, true);
      t.dispose();
      return v;
    });
    this.isTrainable = true;
  }

  /** PyTorch-named copies in file layout (the caller disposes them). */
  weights(): NamedTensors {
    return new Map(paramLeaves(this.def, this.tree).map(([leaf, t]) => [leaf.name, toStored(leaf, t)]));
  }

  /**
   * The tensors under their PyTorch names, not copied (tfjs layout: a linear weight is [in, out],
   * the transpose of the stored tensor). Variables when trainable.
   */
  named(): Map<string, tf.Tensor> {
    return new Map(paramLeaves(this.def, this.tree).map(([leaf, t]) => [leaf.name, t]));
  }

  /** The variables under their PyTorch names (empty when frozen): optimizer parameter groups. */
  namedVariables(): Map<string, tf.Variable> {
    return this.isTrainable ? (this.named() as Map<string, tf.Variable>) : new Map();
  }

  trainableVariables(): tf.Variable[] {
    return [...this.namedVariables().values()];
  }

  /** Number of scalar parameters. */
  get size(): number {
    return paramLeaves(this.def, this.tree).reduce((n, [, t]) => n + t.size, 0);
  }

  dispose(): void {
    for (const [, t] of paramLeaves(this.def, this.tree)) t.dispose();
  }
}

/** A stored tensor in memory layout (a new tensor; `owned` inputs are disposed or reused). */
function fromStored(leaf: Leaf, raw: tf.Tensor, owned: boolean): tf.Tensor {
  const stored = storedShape(leaf.def);
  if (raw.shape.join() !== stored.join()) {
    throw new Error(`internal: ${leaf.name} is [${raw.shape}] after verification, expected [${stored}]`);
  }
  const f32 = raw.dtype === 'float32' ? raw : tf.cast(raw, 'float32');
  if (leaf.def.layout === 'same') {
    if (owned && f32 !== raw) raw.dispose();
    return f32 === raw && !owned ? tf.clone(raw) : f32;
  }
  const t = tf.transpose(f32);
  if (owned) raw.dispose();
  if (f32 !== raw) f32.dispose();
  return t;
}

/** A tensor in file layout (a new tensor). */
function toStored(leaf: Leaf, t: tf.Tensor): tf.Tensor {
  return leaf.def.layout === 'transposed' ? tf.transpose(t) : tf.clone(t);
}
