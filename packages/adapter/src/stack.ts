import { type AdapterConfig, InputError, ShapeError } from '@kadapter/core';
import {
  type AdapterApplyOptions,
  type AdapterStack,
  type AdapterStackOutput,
  additiveMask,
  type BackboneOutput,
  type CreateParamsOptions,
  ParamModule,
  ParamSet,
  type ParamSetOptions,
  type TensorSource,
  tfOps,
} from '@kadapter/nn';
import * as tf from '@tensorflow/tfjs';
import { validateAdapterConfig } from './config.js';
import { adapterStackForward } from './layer.js';
import { type AdapterStackDef, adapterStackDef } from './weights.js';

/**
 * A K-Adapter adapter stack (official `AdapterModel`, kadapter-spec.md §1.3): adapter layer k
 * reads `hiddenStates[taps[k]] + output of layer k-1` (zeros for k = 0); the output of the last
 * layer is the adapter output. Skip connections are off (skip = 0, as every official script).
 */
export class KAdapterStack extends ParamModule<AdapterStackDef> implements AdapterStack {
  private constructor(
    readonly name: string,
    readonly config: AdapterConfig,
    /** width of the backbone hidden states the adapter reads and writes */
    readonly hiddenSize: number,
    set: ParamSet<AdapterStackDef>,
  ) {
    super(set);
  }

  /** A freshly initialised stack (official pre-training init, kadapter-spec.md §1.4), trainable unless told otherwise. */
  static create(
    name: string,
    config: AdapterConfig,
    hiddenSize: number,
    options: CreateParamsOptions = {},
  ): KAdapterStack {
    validateAdapterConfig(config, undefined, `adapter '${name}'`);
    return new KAdapterStack(name, config, hiddenSize, ParamSet.create(adapterStackDef(config, hiddenSize), options));
  }

  /**
   * A stack from official-named tensors (`adapter.k.*`, PyTorch layout). Every expected tensor
   * must be present with its shape and nothing else may be there: one error names every missing,
   * extra or misshaped tensor, with `source` as the file. The input tensors are not disposed.
   * Frozen unless `trainable`.
   */
  static fromWeights(
    name: string,
    config: AdapterConfig,
    hiddenSize: number,
    named: ReadonlyMap<string, tf.Tensor>,
    source: string,
    options: ParamSetOptions = {},
  ): KAdapterStack {
    validateAdapterConfig(config, undefined, source);
    return new KAdapterStack(
      name,
      config,
      hiddenSize,
      ParamSet.fromWeights(adapterStackDef(config, hiddenSize), named, source, options),
    );
  }

  /** A stack read from a weights file one tensor at a time (verified first, as `fromWeights`). Frozen unless `trainable`. */
  static async read(
    name: string,
    config: AdapterConfig,
    hiddenSize: number,
    source: TensorSource,
    options: ParamSetOptions = {},
  ): Promise<KAdapterStack> {
    validateAdapterConfig(config, undefined, source.path);
    return new KAdapterStack(
      name,
      config,
      hiddenSize,
      await ParamSet.read(adapterStackDef(config, hiddenSize), source, options),
    );
  }

  apply(backbone: BackboneOutput, options: AdapterApplyOptions = {}): AdapterStackOutput {
    const taps = this.taps(backbone);
    return tf.tidy(() => {
      const mask = this.config.maskPadding ? additiveMask(tfOps, backbone.mask) : undefined;
      const outputs = adapterStackForward(tfOps, taps, this.p, this.config, { ...options, ...(mask ? { mask } : {}) });
      const output = outputs[outputs.length - 1] as tf.Tensor3D;
      return options.collectLayers ? { output, layers: outputs as tf.Tensor3D[] } : { output };
    });
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
