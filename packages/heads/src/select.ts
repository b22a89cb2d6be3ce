import { InputError, ShapeError } from '@kadapter/core';
import type { Ops } from '@kadapter/nn';
import type { HostTensor } from './kind.js';

/**
 * Row `index[b]` of `features[b]` for each b: [B, L, H] -> [B, H]. The official one-hot `bmm`
 * selectors, literally: a one-hot [B, 1, L] times the features (exact, and its gradient flows
 * back to the selected rows only). Check the positions first with `checkPositions`.
 */
export function rowsAt<T>(o: Ops<T>, features: T, index: T): T {
  const [b, l, h] = o.shape(features) as [number, number, number];
  const onehot = o.reshape(o.oneHot(index, l), [b, 1, l]);
  return o.reshape(o.matmul(onehot, features), [b, h]);
}

/** `cat[features[b, subj[b]], features[b, obj[b]]]`: the relation representation, [B, 2H]. */
export function pairRows<T>(o: Ops<T>, features: T, subj: T, obj: T): T {
  return o.concat([rowsAt(o, features, subj), rowsAt(o, features, obj)], -1);
}

/**
 * Refuses a selector that is not one position per example inside its own sequence: a position
 * outside [0, L) is an InputError naming the example (a flat gather would silently read a
 * neighbouring example's row); a selector of another length than B is a ShapeError.
 */
export function checkPositions(index: HostTensor, featureShape: readonly number[], field: string): void {
  const [b, l] = featureShape as [number, number];
  if (index.shape.length !== 1 || index.shape[0] !== b) {
    throw new ShapeError(`selector has ${index.shape.join('x')} positions for a batch of ${b}`, { field });
  }
  for (let i = 0; i < b; i++) {
    const p = index.data[i] as number;
    if (!(Number.isInteger(p) && p >= 0 && p < l)) {
      throw new InputError(`selector position [${i}] = ${p} is outside [0, ${l})`, { field });
    }
  }
}
