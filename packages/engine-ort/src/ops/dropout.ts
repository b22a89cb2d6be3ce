import { InputError } from '@kadapter/core';
import type { GraphTensor } from '../graph/graph.js';
import { attr } from '../onnx/model.js';
import * as raw from './raw.js';

/**
 * Training-mode Dropout: keeps an element with probability 1 - rate and scales it by
 * 1/(1 - rate); dx = dy·mask/(1 - rate) with the mask the node returns. The seed is an attribute
 * of the node, so it is fixed when the graph is traced: ONNX Runtime draws a new mask at every run
 * from a generator seeded once per session (the same sequence in every process).
 */
export function dropout(x: GraphTensor, rate: number, seed: number | undefined): GraphTensor {
  if (!(rate >= 0 && rate < 1)) throw new InputError(`dropout: rate must be in [0, 1), got ${rate}`);
  if (rate === 0) return x;
  const g = x.graph;
  const [y, mask] = g.emit(
    'Dropout',
    [x, g.scalar(rate), g.constant(new Uint8Array([1]), [])],
    [
      { shape: x.shape, dtype: 'float32' },
      { shape: x.shape, dtype: 'bool' },
    ],
    seed === undefined ? undefined : { seed: attr.int(Math.trunc(seed)) },
  ) as [GraphTensor, GraphTensor];
  g.record(y, [x], (dy, o) => [o.mul(dy, o.mul(raw.cast(mask, 'float32'), 1 / (1 - rate)))]);
  return y;
}
