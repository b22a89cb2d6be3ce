import { type AdapterConfig, InputError, ShapeError } from '@kadapter/core';
import { type AdapterApplyOptions, type AdapterStack, type AdapterStackOutput, type BackboneOutput, type NamedTensors } from '@kadapter/nn';
import {
  additiveMask,
  disposeTree,
  type ParamTree,
  TorchWeightReader,
  TorchWeightWriter,
  toVariables,
  treeVariables,
  VariableNamer,
  verifyWeights,
} from '@kadapter/nn';
import * as tf from '@tensorflow/tfjs';
import { validateAdapterConfig } from './config.js';
import { adapterLayer } from './layer.js';
import {
  type AdapterLayerParams,
  adapterWeightSpec,
  initAdapterParams,
  readAdapterParams,
  writeAdapterParams,
} from './weights.js';

export interface StackOptions {
  /** make the parameters trainable tf.Variables (default true; false = frozen adapter) */
  trainable?: boolean;
}

export interface CreateStackOptions extends StackOptions {
  /** seed of the initialisation (reproducible draws) */
  seed?: number;
}

/**
 * A K-Adapter adapter stack (official `AdapterModel`, kadapter-spec.md §1.3): adapter layer k
 * reads `hiddenStates[taps[k]] + output of layer k-1` (zeros for k = 0); the output of the last
 * layer is the adapter output. Skip connections are off (skip = 0, as every official script).
 */
export class KAdapterStack implements AdapterStack {
  private constructor(
    readonly name: string,
    readonly config: AdapterConfig,
    /** width of the backbone hidden states the adapter reads and writes */
    readonly hiddenSize: number,
    private readonly params: AdapterLayerParams[],
  ) {}

  /** A freshly initialised stack (official pre-training init, kadapter-spec.md §1.4). */
  static create(
    name: string,
    config: AdapterConfig,
    hiddenSize: number,
    options: CreateStackOptions = {},
  ): KAdapterStack {
    validateAdapterConfig(config, undefined, `adapter '${name}'`);
    const params = initAdapterParams(config, hiddenSize, options.seed);
    return new KAdapterStack(
      name,
      config,
      hiddenSize,
      toVariables(params as unknown as ParamTree, options.trainable ?? true) as unknown as AdapterLayerParams[],
    );
  }

  /**
   * A stack from official-named tensors (`adapter.k.*`, PyTorch layout). Every expected tensor
   * must be present with its shape and nothing else may be there: one error names every missing,
   * extra or misshaped tensor, with `source` as the file. The input tensors are not disposed.
   */
  static fromWeights(
    name: string,
    config: AdapterConfig,
    hiddenSize: number,
    named: ReadonlyMap<string, tf.Tensor>,
    source: string,
    options: StackOptions = {},
  ): KAdapterStack {
    validateAdapterConfig(config, undefined, source);
    verifyWeights(named, adapterWeightSpec(config, hiddenSize), source);
    const params = readAdapterParams(new TorchWeightReader(named, source), config);
    return new KAdapterStack(
      name,
      config,
      hiddenSize,
      toVariables(params as unknown as ParamTree, options.trainable ?? true) as unknown as AdapterLayerParams[],
    );
  }

  apply(backbone: BackboneOutput, options: AdapterApplyOptions = {}): AdapterStackOutput {
    const taps = this.taps(backbone);
    const training = options.training ?? false;
    const layers: tf.Tensor3D[] = [];
    const output = tf.tidy(() => {
      const mask = this.config.maskPadding ? additiveMask(backbone.mask) : undefined;
      let prev: tf.Tensor3D | undefined;
      this.params.forEach((p, k) => {
        const tap = taps[k] as tf.Tensor3D;
        const x = prev === undefined ? tap : (tf.add(tap, prev) as tf.Tensor3D);
        prev = adapterLayer(x, p, this.config, training, mask);
        if (options.collectLayers) layers.push(tf.keep(tf.clone(prev)));
      });
      return prev as tf.Tensor3D;
    });
    return options.collectLayers ? { output, layers } : { output };
  }

  /** The parameters under the official names, PyTorch layout (new tensors; the caller disposes them). */
  weights(): NamedTensors {
    const writer = new TorchWeightWriter();
    writeAdapterParams(writer, this.params);
    return writer.named;
  }

  /**
   * The variables under their official names (for optimizer parameter groups and named
   * gradients). They hold tfjs layout: a linear `weight` is [in, out], the transpose of PyTorch's.
   */
  namedVariables(): Map<string, tf.Variable> {
    const namer = new VariableNamer();
    writeAdapterParams(namer, this.params);
    return namer.variables;
  }

  /** Variables a trainer updates: all of them unless the stack was created frozen. */
  trainableVariables(): tf.Variable[] {
    return treeVariables(this.params as unknown as ParamTree).filter((v) => v.trainable);
  }

  dispose(): void {
    disposeTree(this.params as unknown as ParamTree);
  }

  /** The tapped hidden states, checked: each must have been computed and be [B, L, hiddenSize]. */
  private taps(backbone: BackboneOutput): tf.Tensor3D[] {
    return this.config.taps.map((tap, k) => {
      const h = backbone.hiddenStates[tap];
      if (h === undefined) {
        throw new InputError(
          `adapter '${this.name}' layer ${k} taps hidden state ${tap}, which the backbone output does not hold ` +
            `(it has ${backbone.hiddenStates.length} entries; request the tap when encoding)`,
          { field: 'taps' },
        );
      }
      if (h.rank !== 3 || h.shape[2] !== this.hiddenSize) {
        throw new ShapeError(
          `adapter '${this.name}' expects hidden states [B, L, ${this.hiddenSize}], hidden state ${tap} is [${h.shape}]`,
          { field: 'taps' },
        );
      }
      return h;
    });
  }
}
