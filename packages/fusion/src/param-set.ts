import type { NamedTensors } from '@kadapter/core';
import {
  disposeTree,
  type LinearParams,
  linearSpec,
  type ParamTree,
  seedSequence,
  TorchWeightReader,
  TorchWeightWriter,
  toVariables,
  torchDefaultLinear,
  treeVariables,
  verifyWeights,
  type WeightSpec,
} from '@kadapter/core/nn';
import type * as tf from '@tensorflow/tfjs';

/**
 * How a module's parameters map to PyTorch-named tensors: their names and shapes, a fresh
 * initialisation, and reading/writing through the layout-converting Torch reader/writer.
 */
export interface ParamDef<P> {
  spec: WeightSpec;
  init(nextSeed: () => number | undefined): P;
  read(reader: TorchWeightReader): P;
  write(writer: TorchWeightWriter, params: P): void;
}

export interface ParamSetOptions {
  /** trainable tf.Variables (default true); false freezes the module */
  trainable?: boolean;
}

/**
 * The parameters of a fusion or head module as tf.Variables, created fresh or from verified
 * PyTorch-named weights, and written back under the same names. Building block of the modules of
 * @kadapter/fusion and @kadapter/heads.
 */
export class ParamSet<P> {
  private constructor(
    private readonly def: ParamDef<P>,
    readonly params: P,
  ) {}

  static create<P>(def: ParamDef<P>, options: ParamSetOptions & { seed?: number } = {}): ParamSet<P> {
    return ParamSet.wrap(def, def.init(seedSequence(options.seed)), options);
  }

  /**
   * Reads the parameters out of `named` (PyTorch layout). Every tensor of the spec must be there
   * with its shape and nothing else, unless `ignore` accepts the extra name; one error names every
   * missing, extra or misshaped tensor, with `source` as the file. `named` is not disposed.
   */
  static fromWeights<P>(
    def: ParamDef<P>,
    named: ReadonlyMap<string, tf.Tensor>,
    source: string,
    options: ParamSetOptions & { ignore?: (name: string) => boolean } = {},
  ): ParamSet<P> {
    verifyWeights(named, def.spec, source, options.ignore);
    return ParamSet.wrap(def, def.read(new TorchWeightReader(named, source)), options);
  }

  private static wrap<P>(def: ParamDef<P>, params: P, options: ParamSetOptions): ParamSet<P> {
    return new ParamSet(def, toVariables(params as unknown as ParamTree, options.trainable ?? true) as unknown as P);
  }

  /** PyTorch-named copies (the caller disposes them). */
  weights(): NamedTensors {
    const writer = new TorchWeightWriter();
    this.def.write(writer, this.params);
    return writer.named;
  }

  trainableVariables(): tf.Variable[] {
    return treeVariables(this.params as unknown as ParamTree).filter((v) => v.trainable);
  }

  /**
   * The variables under their PyTorch names (for optimizer parameter groups and named gradients).
   * They hold tfjs layout: a linear `weight` is [in, out], the transpose of the PyTorch tensor.
   */
  namedVariables(): Map<string, tf.Variable> {
    const namer = new VariableNamer();
    this.def.write(namer, this.params);
    return namer.variables;
  }

  dispose(): void {
    disposeTree(this.params as unknown as ParamTree);
  }
}

/** A TorchWeightWriter that records the parameters themselves (no copy, no transpose) by name. */
export class VariableNamer extends TorchWeightWriter {
  readonly variables = new Map<string, tf.Variable>();

  override tensor(name: string, t: tf.Tensor): void {
    this.variables.set(name, t as tf.Variable);
  }

  override linear(prefix: string, p: LinearParams): void {
    this.tensor(`${prefix}weight`, p.weight);
    if (p.bias) this.tensor(`${prefix}bias`, p.bias);
  }
}

/** Input and output width of each named linear layer (PyTorch `nn.Linear(in, out)`). */
export type LinearDims<K extends string> = Readonly<Record<K, readonly [number, number]>>;

/**
 * A ParamDef for a set of linear layers named `<key>.weight` / `<key>.bias`, initialised with
 * PyTorch's defaults (U(±1/√in) for weight and bias), as every fusion and task linear of the
 * official code (kadapter-spec.md §1.4).
 */
export function linearsDef<K extends string>(dims: LinearDims<K>): ParamDef<Record<K, LinearParams>> {
  const keys = Object.keys(dims) as K[];
  const spec: WeightSpec = new Map();
  for (const k of keys) for (const [n, s] of linearSpec(`${k}.`, dims[k][0], dims[k][1])) spec.set(n, s);
  const build = (make: (k: K) => LinearParams) =>
    Object.fromEntries(keys.map((k) => [k, make(k)])) as Record<K, LinearParams>;
  return {
    spec,
    init: (next) => build((k) => torchDefaultLinear(dims[k][0], dims[k][1], next())),
    read: (reader) => build((k) => reader.linear(`${k}.`)),
    write: (writer, p) => {
      for (const k of keys) writer.linear(`${k}.`, p[k]);
    },
  };
}

/** Base of modules whose parameters are one ParamSet: weights, variables and disposal come from it. */
export abstract class ParamModule<P> {
  protected constructor(protected readonly set: ParamSet<P>) {}

  /** the parameters (tfjs layout) */
  protected get p(): P {
    return this.set.params;
  }

  /** PyTorch-named copies of the parameters (the caller disposes them). */
  weights(): NamedTensors {
    return this.set.weights();
  }

  trainableVariables(): tf.Variable[] {
    return this.set.trainableVariables();
  }

  /** The variables under their PyTorch names (tfjs layout: linear weights are [in, out]). */
  namedVariables(): Map<string, tf.Variable> {
    return this.set.namedVariables();
  }

  dispose(): void {
    this.set.dispose();
  }
}
