import type { KAdapterStack, PretrainingInfo } from '@kadapter/adapter';
import { ConfigError } from '@kadapter/core';
import { type Backbone, type BackboneInput, type ForwardOptions } from '@kadapter/nn';
import type { FusionModule } from '@kadapter/fusion';
import type { HeadModule } from '@kadapter/heads';
import * as tf from '@tensorflow/tfjs';

/** The parts of a composition. Adapters and heads are keyed by name. */
export interface SetupParts {
  backbone: Backbone;
  adapters: ReadonlyMap<string, KAdapterStack>;
  fusion: FusionModule;
  heads: ReadonlyMap<string, HeadModule>;
  /** pre-training information of the adapters, carried into saved adapter directories */
  pretraining?: ReadonlyMap<string, Omit<PretrainingInfo, 'headWeights'>>;
}

/**
 * A whole K-Adapter composition: backbone → adapters (each reading its taps) → fusion → heads.
 * The fusion must be built for exactly the setup's adapters and every adapter must fit the
 * backbone's width and depth.
 */
export class KAdapterSetup {
  readonly backbone: Backbone;
  readonly adapters: ReadonlyMap<string, KAdapterStack>;
  readonly fusion: FusionModule;
  readonly heads: ReadonlyMap<string, HeadModule>;
  readonly pretraining: ReadonlyMap<string, Omit<PretrainingInfo, 'headWeights'>>;

  constructor(parts: SetupParts) {
    this.backbone = parts.backbone;
    this.adapters = parts.adapters;
    this.fusion = parts.fusion;
    this.heads = parts.heads;
    this.pretraining = parts.pretraining ?? new Map();
    const names = [...parts.adapters.keys()];
    const fused = [...parts.fusion.adapters];
    if (names.length !== fused.length || !names.every((n) => fused.includes(n))) {
      throw new ConfigError(
        `the fusion is built for adapters [${fused.join(', ')}], the setup has [${names.join(', ')}]`,
        {
          field: 'fusion',
        },
      );
    }
    const info = parts.backbone.info;
    for (const [name, stack] of parts.adapters) {
      if (stack.hiddenSize !== info.hiddenSize) {
        throw new ConfigError(`adapter '${name}' has width ${stack.hiddenSize}, the backbone ${info.hiddenSize}`, {
          field: `adapters.${name}`,
        });
      }
      const beyond = stack.config.taps.filter((t) => t > info.numLayers);
      if (beyond.length > 0) {
        throw new ConfigError(
          `adapter '${name}' taps ${beyond.join(',')} beyond the backbone depth ${info.numLayers}`,
          {
            field: `adapters.${name}`,
          },
        );
      }
    }
  }

  /** The hidden-state indices any adapter reads. */
  get taps(): number[] {
    return [...new Set([...this.adapters.values()].flatMap((s) => s.config.taps))].sort((a, b) => a - b);
  }

  /** Fused features [B, L, H] of a batch (backbone and adapter outputs are disposed on the way). */
  features(input: BackboneInput, options: ForwardOptions = {}): tf.Tensor3D {
    return tf.tidy(() => {
      const out = this.backbone.encode(input, { ...options, taps: this.taps });
      const adapterOutputs: Record<string, tf.Tensor3D> = {};
      for (const [name, stack] of this.adapters) adapterOutputs[name] = stack.apply(out, options).output;
      return this.fusion.apply(out.last, adapterOutputs, options);
    });
  }

  /** The head named `head` applied to the fused features. */
  head(name: string): HeadModule {
    const h = this.heads.get(name);
    if (!h) {
      throw new ConfigError(`no head named '${name}' (heads: ${[...this.heads.keys()].join(', ')})`, {
        field: 'heads',
      });
    }
    return h;
  }

  /** Logits of head `name` for a batch: `head.apply(features(input), selectors)`. */
  logits(
    name: string,
    input: BackboneInput,
    selectors?: Readonly<Record<string, tf.Tensor>>,
    options: ForwardOptions = {},
  ): tf.Tensor {
    const head = this.head(name);
    return tf.tidy(() => head.apply(this.features(input, options), selectors, options));
  }

  /** Every trainable variable of the adapters, fusion and heads (and of the backbone if unfrozen). */
  trainableVariables(): tf.Variable[] {
    return [
      ...this.backbone.trainableVariables(),
      ...[...this.adapters.values()].flatMap((s) => s.trainableVariables()),
      ...this.fusion.trainableVariables(),
      ...[...this.heads.values()].flatMap((h) => h.trainableVariables()),
    ];
  }

  /** Disposes every part, the backbone included. */
  dispose(): void {
    this.backbone.dispose();
    for (const s of this.adapters.values()) s.dispose();
    this.fusion.dispose();
    for (const h of this.heads.values()) h.dispose();
  }
}
