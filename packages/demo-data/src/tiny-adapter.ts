import type { AdapterConfig } from '@kadapter/core';

/**
 * The adapter sizes of the tiny model (`model/config.json`, block `kadapter_tiny`, the same as the
 * reference fixture `kadapter-tiny`): layers 0, 2 and 3 tapped, adapter size 32, 2 transformer
 * layers of 4 heads and intermediate size 64; everything else as `defaultAdapterConfig` of
 * `@kadapter/core`. A fresh object on every call.
 */
export function tinyAdapterConfig(): AdapterConfig {
  return {
    taps: [0, 2, 3],
    adapterSize: 32,
    layers: 2,
    heads: 4,
    intermediateSize: 64,
    layerNormEps: 1e-5,
    dropout: 0.1,
    skip: 0,
    maskPadding: false,
    initRange: 0.0002,
  };
}
