import { InputError, ShapeError } from '@kadapter/core';
import type * as tf from '@tensorflow/tfjs';

/**
 * The adapter outputs in the fusion's order, checked: every adapter the fusion was built for is
 * there, nothing else, and each has the shape of `last`.
 */
export function orderedOutputs(
  kind: string,
  adapters: readonly string[],
  last: tf.Tensor3D,
  outputs: Readonly<Record<string, tf.Tensor3D>>,
): tf.Tensor3D[] {
  const missing = adapters.filter((a) => outputs[a] === undefined);
  const extra = Object.keys(outputs).filter((a) => !adapters.includes(a));
  if (missing.length > 0 || extra.length > 0) {
    const parts = [];
    if (missing.length > 0) parts.push(`missing ${missing.join(', ')}`);
    if (extra.length > 0) parts.push(`not part of this fusion: ${extra.join(', ')}`);
    throw new InputError(
      `${kind} fusion over [${adapters.join(', ')}] got other adapter outputs (${parts.join('; ')})`,
      {
        field: 'adapters',
      },
    );
  }
  return adapters.map((a) => {
    const t = outputs[a] as tf.Tensor3D;
    if (t.shape.join() !== last.shape.join()) {
      throw new ShapeError(`adapter '${a}' output is [${t.shape}], the backbone output is [${last.shape}]`, {
        field: a,
      });
    }
    return t;
  });
}
