import type { AdapterConfig } from '@kadapter/core';
import { bertLayer, linear } from '@kadapter/nn';
import * as tf from '@tensorflow/tfjs';
import type { AdapterLayerParams } from './weights.js';

/**
 * One K-Adapter adapter layer (official `Adapter.forward`, kadapter-spec.md §1.2):
 * `x + up(encoder(down(x)))`, where the encoder is `config.layers` post-LN BERT layers (erf GELU).
 * `mask` is the additive padding mask [B, 1, 1, L]; the official code passes none (pads are
 * attended to), which is what `undefined` means here.
 */
export function adapterLayer(
  x: tf.Tensor3D,
  p: AdapterLayerParams,
  config: AdapterConfig,
  training: boolean,
  mask?: tf.Tensor4D,
): tf.Tensor3D {
  return tf.tidy(() => {
    let e = linear(x, p.down);
    for (const layer of p.layers) {
      e = bertLayer(e, layer, {
        heads: config.heads,
        layerNormEps: config.layerNormEps,
        dropout: config.dropout,
        training,
        ...(mask ? { mask } : {}),
      });
    }
    return tf.add(x, linear(e, p.up)) as tf.Tensor3D;
  });
}
