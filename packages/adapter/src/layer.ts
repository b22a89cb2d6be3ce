import type { AdapterConfig } from '@kadapter/core';
import { bertLayer, type ForwardOptions, linear, type Ops } from '@kadapter/nn';
import type { AdapterLayerParams } from './weights.js';

/**
 * One K-Adapter adapter layer (official `Adapter.forward`, kadapter-spec.md §1.2):
 * `x + up(encoder(down(x)))`, where the encoder is `config.layers` post-LN BERT layers (erf GELU).
 * `mask` is the additive padding mask [B, 1, 1, L]; the official code passes none (pads are
 * attended to), which is what `undefined` means here.
 */
export function adapterLayer<T>(
  o: Ops<T>,
  x: T,
  p: AdapterLayerParams<T>,
  config: AdapterConfig,
  options: ForwardOptions & { mask?: T },
): T {
  let e = linear(o, x, p.down_project);
  for (const layer of p.encoder) {
    e = bertLayer(o, e, layer, {
      ...options,
      heads: config.heads,
      layerNormEps: config.layerNormEps,
      dropout: config.dropout,
    });
  }
  return o.add(x, linear(o, e, p.up_project));
}

/**
 * The adapter stack (official `AdapterModel.forward`, kadapter-spec.md §1.3): layer k reads
 * `taps[k] + output of layer k-1` (the tap alone for k = 0). Returns the output of every layer;
 * the last is "the adapter output". Skip connections are off (skip = 0, as every official script).
 */
export function adapterStackForward<T>(
  o: Ops<T>,
  taps: readonly T[],
  p: ReadonlyArray<AdapterLayerParams<T>>,
  config: AdapterConfig,
  options: ForwardOptions & { mask?: T },
): T[] {
  const outputs: T[] = [];
  p.forEach((layer, k) => {
    const tap = taps[k] as T;
    const prev = outputs[k - 1];
    outputs.push(adapterLayer(o, prev === undefined ? tap : o.add(tap, prev), layer, config, options));
  });
  return outputs;
}
