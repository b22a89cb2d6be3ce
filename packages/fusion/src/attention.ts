import type { Fusion } from '@kadapter/nn';
import {
  type LinearParams,
  linear,
  linearsDef,
  type ParamDef,
  ParamModule,
  ParamSet,
  type ParamSetOptions,
} from '@kadapter/nn';
import * as tf from '@tensorflow/tfjs';
import { type AttentionFusionConfig, validateFusionConfig } from './config.js';
import { orderedOutputs } from './inputs.js';

type AttentionParams = Record<'query' | 'key' | 'value', LinearParams>;

const PREFIX = 'attention_fusion';

function attentionDef(h: number): ParamDef<AttentionParams> {
  const base = linearsDef({ query: [h, h], key: [h, h], value: [h, h] });
  const rename = (n: string) => `${PREFIX}.${n}`;
  return {
    spec: new Map([...base.spec].map(([n, s]) => [rename(n), s])),
    // value starts as the identity (AdapterFusion), so at init the output mixes the raw adapter outputs
    init: (next) => {
      const p = base.init(next);
      p.value.weight.dispose();
      p.value.bias?.dispose();
      return { ...p, value: { weight: tf.eye(h) as tf.Tensor2D, bias: tf.zeros([h]) as tf.Tensor1D } };
    },
    read: (reader) => ({
      query: reader.linear(`${PREFIX}.query.`),
      key: reader.linear(`${PREFIX}.key.`),
      value: reader.linear(`${PREFIX}.value.`),
    }),
    write: (writer, p) => {
      for (const k of ['query', 'key', 'value'] as const) writer.linear(`${PREFIX}.${k}.`, p[k]);
    },
  };
}

/** Attention fusion (see AttentionFusionConfig). */
export class AttentionFusion extends ParamModule<AttentionParams> implements Fusion {
  readonly kind = 'attention';
  private constructor(
    readonly config: AttentionFusionConfig,
    set: ParamSet<AttentionParams>,
  ) {
    super(set);
  }

  get adapters(): readonly string[] {
    return this.config.adapters;
  }

  static create(config: AttentionFusionConfig, options: ParamSetOptions & { seed?: number } = {}): AttentionFusion {
    validateFusionConfig(config);
    return new AttentionFusion(config, ParamSet.create(attentionDef(config.hiddenSize), options));
  }

  static fromWeights(
    config: AttentionFusionConfig,
    named: ReadonlyMap<string, tf.Tensor>,
    source: string,
    options: ParamSetOptions = {},
  ): AttentionFusion {
    validateFusionConfig(config, source);
    return new AttentionFusion(config, ParamSet.fromWeights(attentionDef(config.hiddenSize), named, source, options));
  }

  apply(last: tf.Tensor3D, adapterOutputs: Readonly<Record<string, tf.Tensor3D>>): tf.Tensor3D {
    return tf.tidy(() => {
      const { output } = this.attend(last, adapterOutputs);
      return output;
    });
  }

  /** The fused output and the per-token probability of each adapter, [B, L, N] (N in `adapters` order). */
  attend(
    last: tf.Tensor3D,
    adapterOutputs: Readonly<Record<string, tf.Tensor3D>>,
  ): { output: tf.Tensor3D; probs: tf.Tensor3D } {
    const outs = orderedOutputs(this.kind, this.adapters, last, adapterOutputs);
    const p = this.p;
    return tf.tidy(() => {
      const q = linear(last, p.query);
      const scale = 1 / Math.sqrt(this.config.hiddenSize);
      const scores = outs.map((a) => tf.mul(tf.sum(tf.mul(q, linear(a, p.key)), -1), scale));
      const probs = tf.softmax(tf.stack(scores, -1)) as tf.Tensor3D;
      const parts = tf.split(probs, outs.length, -1);
      const mixed = outs.map((a, i) => tf.mul(parts[i] as tf.Tensor, linear(a, p.value)));
      const sum = tf.addN(mixed) as tf.Tensor3D;
      return { output: this.config.residual ? (tf.add(sum, last) as tf.Tensor3D) : sum, probs };
    });
  }
}
