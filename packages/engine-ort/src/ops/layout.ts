import { InputError, ShapeError } from '@kadapter/core';
import type { GraphTensor } from '../graph/graph.js';
import { attr } from '../onnx/model.js';
import * as raw from './raw.js';
import { checkPermutation, normalizeAxis, resolveReshape, resolveSlice, sameShape } from './shapes.js';

/** float32 <-> int32 (int32 truncates toward zero, as ONNX Cast does); no gradient. */
export function cast(x: GraphTensor, dtype: 'float32' | 'int32'): GraphTensor {
  if (x.dtype !== 'float32' && x.dtype !== 'int32') throw new InputError(`cast: unsupported input ${x.dtype}`);
  return raw.cast(x, dtype);
}

export function reshape(x: GraphTensor, shape: readonly number[]): GraphTensor {
  const target = resolveReshape(x.shape, shape);
  if (sameShape(target, x.shape)) return x;
  const y = x.graph.emit1('Reshape', [x, x.graph.int64s(target)], target, x.dtype);
  if (x.dtype === 'float32') x.graph.record(y, [x], (dy, o) => [o.reshape(dy, x.shape)]);
  return y;
}

export function transpose(x: GraphTensor, perm: readonly number[]): GraphTensor {
  checkPermutation(perm, x.shape.length);
  if (perm.every((p, i) => p === i)) return x;
  const shape = perm.map((p) => x.shape[p] as number);
  const y = x.graph.emit1('Transpose', [x], shape, x.dtype, { perm: attr.ints(perm) });
  const inverse = perm.map((_, i) => perm.indexOf(i));
  if (x.dtype === 'float32') x.graph.record(y, [x], (dy, o) => [o.transpose(dy, inverse)]);
  return y;
}

/** Concatenation along `axis`; each input's gradient is its slice of dy. */
export function concat(xs: readonly GraphTensor[], axis: number): GraphTensor {
  const first = xs[0];
  if (first === undefined) throw new InputError('concat: no tensors');
  const rank = first.shape.length;
  const a = normalizeAxis('concat', axis, rank);
  for (const x of xs) {
    const fits = x.shape.length === rank && x.shape.every((d, i) => i === a || d === first.shape[i]);
    if (!fits || x.dtype !== first.dtype) {
      throw new ShapeError(
        `concat: [${x.shape}] ${x.dtype} does not fit [${first.shape}] ${first.dtype} on axis ${axis}`,
      );
    }
  }
  if (xs.length === 1) return first;
  const shape = [...first.shape];
  shape[a] = xs.reduce((n, x) => n + (x.shape[a] as number), 0);
  const g = first.graph;
  const y = g.emit1('Concat', xs, shape, first.dtype, { axis: attr.int(a) });
  if (first.dtype === 'float32') {
    g.record(y, xs, (dy, o) => {
      let offset = 0;
      return xs.map((x) => {
        const begin = shape.map((_, i) => (i === a ? offset : 0));
        offset += x.shape[a] as number;
        return o.slice(dy, begin, x.shape);
      });
    });
  }
  return y;
}

/** `size[i] = -1` takes the rest of axis i; the gradient is dy padded back with zeros. */
export function slice(x: GraphTensor, begin: readonly number[], size: readonly number[]): GraphTensor {
  const sizes = resolveSlice(x.shape, begin, size);
  if (sameShape(sizes, x.shape)) return x;
  const g = x.graph;
  const axes = x.shape.map((_, i) => i);
  const ends = sizes.map((s, i) => (begin[i] as number) + s);
  const y = g.emit1('Slice', [x, g.int64s(begin), g.int64s(ends), g.int64s(axes)], sizes, x.dtype);
  const after = x.shape.map((d, i) => d - (ends[i] as number));
  if (x.dtype === 'float32') g.record(y, [x], (dy) => [raw.padZeros(dy, begin, after)]);
  return y;
}
