import { InputError, ShapeError } from '@kadapter/core';
import { type ForwardOptions, type Fusion, ParamModule, type ParamSet, tfOps } from '@kadapter/nn';
import * as tf from '@tensorflow/tfjs';
import type { AnyFusionKind, FusionConfigOf, FusionDefOf, FusionOutputs } from './kind.js';

/**
 * A fusion of any kind on tfjs: its config, its parameters (a ParamSet of the kind's definition)
 * and the kind's forward over the backbone's last layer and the adapter outputs by name.
 */
export class FusionModule<K extends AnyFusionKind = AnyFusionKind>
  extends ParamModule<FusionDefOf<K>>
  implements Fusion
{
  constructor(
    readonly definition: K,
    readonly config: FusionConfigOf<K>,
    set: ParamSet<FusionDefOf<K>>,
  ) {
    super(set);
  }

  get kind(): string {
    return this.definition.kind;
  }

  /** adapter names this fusion was built for, in order */
  get adapters(): readonly string[] {
    return this.config.adapters;
  }

  /** The fused features and the kind's extra outputs (e.g. attention weights); the caller disposes them. */
  forward(
    last: tf.Tensor3D,
    adapterOutputs: Readonly<Record<string, tf.Tensor3D>>,
    options: ForwardOptions = {},
  ): FusionOutputs<tf.Tensor> {
    const outputs = this.ordered(last, adapterOutputs);
    return tf.tidy(() => this.definition.forward(tfOps, this.p, this.config, last, outputs, options));
  }

  apply(
    last: tf.Tensor3D,
    adapterOutputs: Readonly<Record<string, tf.Tensor3D>>,
    options: ForwardOptions = {},
  ): tf.Tensor3D {
    const { output, ...extras } = this.forward(last, adapterOutputs, options);
    tf.dispose(Object.values(extras));
    return output as tf.Tensor3D;
  }

  /**
   * The adapter outputs in the fusion's order, checked: every adapter the fusion was built for is
   * there, nothing else, and each has the shape of `last`.
   */
  private ordered(last: tf.Tensor3D, outputs: Readonly<Record<string, tf.Tensor3D>>): tf.Tensor3D[] {
    const missing = this.adapters.filter((a) => outputs[a] === undefined);
    const extra = Object.keys(outputs).filter((a) => !this.adapters.includes(a));
    if (missing.length > 0 || extra.length > 0) {
      const parts = [];
      if (missing.length > 0) parts.push(`missing ${missing.join(', ')}`);
      if (extra.length > 0) parts.push(`not part of this fusion: ${extra.join(', ')}`);
      throw new InputError(
        `${this.kind} fusion over [${this.adapters.join(', ')}] got other adapter outputs (${parts.join('; ')})`,
        { field: 'adapters' },
      );
    }
    return this.adapters.map((a) => {
      const t = outputs[a] as tf.Tensor3D;
      if (t.shape.join() !== last.shape.join()) {
        throw new ShapeError(`adapter '${a}' output is [${t.shape}], the backbone output is [${last.shape}]`, {
          field: a,
        });
      }
      return t;
    });
  }
}
