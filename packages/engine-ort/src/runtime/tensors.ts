import { InputError } from '@kadapter/core';
import { Tensor } from 'onnxruntime-node';

/** A tensor in ONNX Runtime's memory: what graphs take and return. */
export type OrtTensor = Tensor;

/** An ONNX Runtime tensor over `data` (not copied): float32 or int32, row-major. */
export function ortTensor(data: Float32Array | Int32Array, shape: readonly number[]): OrtTensor {
  const size = shape.reduce((a, b) => a * b, 1);
  if (data.length !== size) throw new InputError(`${data.length} values for shape [${shape}] (${size})`);
  return data instanceof Float32Array ? new Tensor('float32', data, [...shape]) : new Tensor('int32', data, [...shape]);
}

/** The values of a float32 tensor (the tensor's own memory on CPU; copy it to keep it past the next step). */
export function float32Data(t: OrtTensor, name: string): Float32Array {
  if (t.type !== 'float32') throw new InputError(`'${name}' is ${t.type}, expected float32`, { tensor: name });
  return t.data as Float32Array;
}
