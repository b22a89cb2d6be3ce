import type { AdapterConfig } from '@kadapter/core';
import { FormatError } from '@kadapter/core';
import {
  type BertLayerParams,
  bertLayerSpec,
  type LinearParams,
  linearSpec,
  normalLinear,
  type Shaped,
  seedSequence,
  type TorchWeightReader,
  type TorchWeightWriter,
  torchDefaultBertLayer,
  type WeightSpec,
} from '@kadapter/nn';

/** Parameters of one adapter layer (official `Adapter` module), tfjs layout. */
export interface AdapterLayerParams {
  down: LinearParams;
  layers: BertLayerParams[];
  up: LinearParams;
}

/** Official name prefix of adapter layer `k` (`adapter.k.`). */
export function layerPrefix(k: number): string {
  return `adapter.${k}.`;
}

/**
 * Every tensor of an adapter stack under the official names, PyTorch shapes: per adapter layer
 * `down_project`, `encoder.layer.j.*` and `up_project` (kadapter-spec.md §6; 36 tensors per layer
 * with 2 inner layers, 108 for the released 3-layer adapters).
 */
export function adapterWeightSpec(config: AdapterConfig, hiddenSize: number): WeightSpec {
  const spec: WeightSpec = new Map();
  for (let k = 0; k < config.taps.length; k++) {
    const p = layerPrefix(k);
    for (const [n, s] of linearSpec(`${p}down_project.`, hiddenSize, config.adapterSize)) spec.set(n, s);
    for (let j = 0; j < config.layers; j++) {
      for (const [n, s] of bertLayerSpec(`${p}encoder.layer.${j}.`, config.adapterSize, config.intermediateSize)) {
        spec.set(n, s);
      }
    }
    for (const [n, s] of linearSpec(`${p}up_project.`, config.adapterSize, hiddenSize)) spec.set(n, s);
  }
  return spec;
}

/** Reads the adapter layers out of official-named tensors (verify them first). */
export function readAdapterParams(reader: TorchWeightReader, config: AdapterConfig): AdapterLayerParams[] {
  return config.taps.map((_, k) => {
    const p = layerPrefix(k);
    return {
      down: reader.linear(`${p}down_project.`),
      layers: Array.from({ length: config.layers }, (_, j) => reader.bertLayer(`${p}encoder.layer.${j}.`)),
      up: reader.linear(`${p}up_project.`),
    };
  });
}

/** The inverse of `readAdapterParams`. */
export function writeAdapterParams(writer: TorchWeightWriter, params: readonly AdapterLayerParams[]): void {
  params.forEach((layer, k) => {
    const p = layerPrefix(k);
    writer.linear(`${p}down_project.`, layer.down);
    layer.layers.forEach((l, j) => {
      writer.bertLayer(`${p}encoder.layer.${j}.`, l);
    });
    writer.linear(`${p}up_project.`, layer.up);
  });
}

/**
 * Fresh parameters initialised as the official pre-training code does (kadapter-spec.md §1.4):
 * down/up weights ~ N(0, initRange²) with zero biases; inner BERT layers keep PyTorch defaults
 * (linear weight and bias ~ U(±1/√fan_in), LayerNorm γ = 1, β = 0). `seed` makes it reproducible.
 */
export function initAdapterParams(config: AdapterConfig, hiddenSize: number, seed?: number): AdapterLayerParams[] {
  const next = seedSequence(seed);
  return config.taps.map(() => ({
    down: normalLinear(hiddenSize, config.adapterSize, config.initRange, next()),
    layers: Array.from({ length: config.layers }, () =>
      torchDefaultBertLayer(config.adapterSize, config.intermediateSize, next),
    ),
    up: normalLinear(config.adapterSize, hiddenSize, config.initRange, next()),
  }));
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
