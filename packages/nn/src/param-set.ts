import type * as tf from '@tensorflow/tfjs';
import type { NamedTensors } from './contracts/index.js';
import { seedSequence } from './init.js';
import { disposeTree, type ParamTree, toVariables, treeVariables } from './params.js';
import { VariableNamer } from './variable-namer.js';
import { TorchWeightReader, TorchWeightWriter, verifyWeights, type WeightSpec } from './weights.js';

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
 * @kadapter/adapter, @kadapter/fusion and @kadapter/heads.
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
