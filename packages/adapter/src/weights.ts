import type { AdapterConfig } from '@kadapter/core';
import { FormatError } from '@kadapter/core';
import {
  bertLayerDef,
  list,
  normalLinearDef,
  type Params,
  prefixed,
  record,
  type Shaped,
  type WeightSpec,
  weightSpec,
} from '@kadapter/nn';

/**
 * The parameters of an adapter stack under the official names (kadapter-spec.md §6): per adapter
 * layer k, `adapter.k.down_project`, `adapter.k.encoder.layer.j.*` and `adapter.k.up_project`.
 * Initialised as the official pre-training code does (§1.4): down/up weights ~ N(0, initRange²)
 * with zero biases; inner BERT layers keep PyTorch defaults (U(±1/√fan_in), LayerNorm 1/0).
 */
export function adapterStackDef(config: AdapterConfig, hiddenSize: number) {
  return prefixed(
    'adapter',
    list(config.taps.length, () =>
      record({
        down_project: normalLinearDef(hiddenSize, config.adapterSize, config.initRange),
        encoder: prefixed(
          'encoder.layer',
          list(config.layers, () => bertLayerDef(config.adapterSize, config.intermediateSize)),
        ),
        up_project: normalLinearDef(config.adapterSize, hiddenSize, config.initRange),
      }),
    ),
  );
}

export type AdapterStackDef = ReturnType<typeof adapterStackDef>;

/** Parameters of one adapter layer (official `Adapter` module), memory layout. */
export type AdapterLayerParams<T> = Params<AdapterStackDef, T>[number];

/** Every tensor of an adapter stack, official names and PyTorch shapes (108 for the released adapters). */
export function adapterWeightSpec(config: AdapterConfig, hiddenSize: number): WeightSpec {
  return weightSpec(adapterStackDef(config, hiddenSize));
}

/** Sizes an adapter's tensors reveal: what an imported checkpoint's shapes tell. */
export interface InferredAdapterSizes {
  /** number of adapter layers (`adapter.k.*`, k = 0..count-1) */
  count: number;
  hiddenSize: number;
  adapterSize: number;
  layers: number;
  intermediateSize: number;
}

/**
 * Reads the adapter sizes from the shapes of official-named tensors (`adapter.k.*`). Heads, taps
 * and eps cannot be read from shapes. Throws a FormatError naming the tensor that is absent or
 * inconsistent.
 */
export function inferAdapterSizes(shapes: ReadonlyMap<string, Shaped>, source: string): InferredAdapterSizes {
  let count = 0;
  let layers = 0;
  for (const name of shapes.keys()) {
    const m = /^adapter\.(\d+)\.(?:encoder\.layer\.(\d+)\.)?/.exec(name);
    if (!m) continue;
    count = Math.max(count, Number(m[1]) + 1);
    if (m[2] !== undefined) layers = Math.max(layers, Number(m[2]) + 1);
  }
  if (count === 0) throw new FormatError('no adapter.* tensors: not a K-Adapter adapter checkpoint', { file: source });
  const shapeOf = (name: string): readonly number[] => {
    const t = shapes.get(name);
    if (!t)
      throw new FormatError('tensor needed to infer the adapter sizes is missing', { file: source, tensor: name });
    return t.shape;
  };
  const down = shapeOf('adapter.0.down_project.weight');
  if (down.length !== 2)
    throw new FormatError(`expected a 2-D weight, got [${down}]`, {
      file: source,
      tensor: 'adapter.0.down_project.weight',
    });
  const inter = layers > 0 ? shapeOf('adapter.0.encoder.layer.0.intermediate.dense.weight') : [0];
  return {
    count,
    hiddenSize: down[1] as number,
    adapterSize: down[0] as number,
    layers,
    intermediateSize: inter[0] as number,
  };
}
