import type { Fusion } from '@kadapter/nn';
import {
  type LinearDims,
  type LinearParams,
  linear,
  linearsDef,
  type ParamDef,
  ParamModule,
  ParamSet,
  type ParamSetOptions,
} from '@kadapter/nn';
import * as tf from '@tensorflow/tfjs';
import { type ConcatFusionConfig, validateFusionConfig } from './config.js';
import { orderedOutputs } from './inputs.js';

/** Official parameter names: `task_dense_<adapter>`, `task_dense`, and `<adapter>_adapter.task_dense`. */
const perAdapter = (a: string) => `task_dense_${a}`;
const inner = (a: string) => `${a}_adapter.task_dense`;
const COMBINE = 'task_dense';

function concatDef(config: ConcatFusionConfig): ParamDef<Record<string, LinearParams>> {
  const h = config.hiddenSize;
  const dims: Record<string, readonly [number, number]> = {};
  for (const a of config.adapters) {
    if (config.innerProjection) dims[inner(a)] = [2 * h, h];
    dims[perAdapter(a)] = [2 * h, h];
  }
  if (config.adapters.length > 1) dims[COMBINE] = [config.adapters.length * h, h];
  return linearsDef(dims as LinearDims<string>);
}

/** Concat fusion (see ConcatFusionConfig). No activation, dropout or LayerNorm anywhere, as the original. */
export class ConcatFusion extends ParamModule<Record<string, LinearParams>> implements Fusion {
  readonly kind = 'concat';
  private constructor(
    readonly config: ConcatFusionConfig,
    set: ParamSet<Record<string, LinearParams>>,
  ) {
    super(set);
  }

  get adapters(): readonly string[] {
    return this.config.adapters;
  }

  /** Fresh PyTorch-default-initialised linears (as the official `nn.Linear`s). */
  static create(config: ConcatFusionConfig, options: ParamSetOptions & { seed?: number } = {}): ConcatFusion {
    validateFusionConfig(config);
    return new ConcatFusion(config, ParamSet.create(concatDef(config), options));
  }

  /** From official-named tensors (`task_dense_fac.*`, `task_dense_lin.*`, `task_dense.*`), verified. */
  static fromWeights(
    config: ConcatFusionConfig,
    named: ReadonlyMap<string, tf.Tensor>,
    source: string,
    options: ParamSetOptions = {},
  ): ConcatFusion {
    validateFusionConfig(config, source);
    return new ConcatFusion(config, ParamSet.fromWeights(concatDef(config), named, source, options));
  }

  apply(last: tf.Tensor3D, adapterOutputs: Readonly<Record<string, tf.Tensor3D>>): tf.Tensor3D {
    const outs = orderedOutputs(this.kind, this.adapters, last, adapterOutputs);
    const p = this.p;
    return tf.tidy(() => {
      const features = outs.map((a, i) => {
        const name = this.adapters[i] as string;
        let x = a;
        const ip = this.config.innerProjection;
        if (ip) {
          const cat = tf.concat([tf.mul(last, ip.aRate), tf.mul(a, ip.bRate)], -1) as tf.Tensor3D;
          x = linear(cat, p[inner(name)] as LinearParams);
        }
        return linear(tf.concat([last, x], -1) as tf.Tensor3D, p[perAdapter(name)] as LinearParams);
      });
      if (features.length === 1) return features[0] as tf.Tensor3D;
      return linear(tf.concat(features, -1) as tf.Tensor3D, p[COMBINE] as LinearParams);
    });
  }
}
