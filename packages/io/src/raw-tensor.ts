import { DTypeError, ShapeError } from '@kadapter/core';
import * as tf from '@tensorflow/tfjs';
import { bf16ToFloat, DTYPE_BYTES, floatToBf16, floatToHalf, halfToFloat, type SafetensorsDType } from './dtypes.js';

export type RawData =
  | Float64Array
  | Float32Array
  | Uint16Array
  | BigInt64Array
  | Int32Array
  | Int16Array
  | Int8Array
  | Uint8Array;

/**
 * A tensor as stored in a file: dtype, shape and its elements in a typed array of that dtype
 * (F16/BF16 as raw Uint16Array bits, BOOL as Uint8Array). Independent of any tfjs backend.
 */
export interface RawTensor {
  dtype: SafetensorsDType;
  shape: number[];
  data: RawData;
}

export function elementCount(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

const ARRAY_TYPES = {
  F64: Float64Array,
  F32: Float32Array,
  F16: Uint16Array,
  BF16: Uint16Array,
  I64: BigInt64Array,
  I32: Int32Array,
  I16: Int16Array,
  I8: Int8Array,
  U8: Uint8Array,
  BOOL: Uint8Array,
} as const;

/**
 * Checks that a raw tensor is what it claims: a known dtype, a shape of non-negative integers and
 * a typed array of the dtype's kind with exactly shape-product elements.
 */
export function assertRawTensor(t: RawTensor, where: { file?: string; tensor?: string }): void {
  const Type = ARRAY_TYPES[t.dtype];
  if (!Type) throw new DTypeError(`unknown dtype ${JSON.stringify(t.dtype)}`, where);
  if (!Array.isArray(t.shape) || !t.shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    throw new ShapeError(`shape ${JSON.stringify(t.shape)} is not a list of non-negative integers`, where);
  }
  if (!(t.data instanceof Type)) {
    throw new DTypeError(`${t.dtype} data must be a ${Type.name}, got ${t.data?.constructor?.name}`, where);
  }
  const n = elementCount(t.shape);
  if (t.data.length !== n) {
    throw new ShapeError(`shape [${t.shape}] has ${n} elements but the data has ${t.data.length}`, where);
  }
}

/**
 * Decodes little-endian bytes of `dtype` into a typed array. By default the bytes are copied into
 * a fresh, aligned buffer, so the input's alignment never matters; `copy: false` lets a caller that
 * owns `bytes` (and does not reuse them) skip the copy when they are suitably aligned.
 */
export function decodeBytes(bytes: Uint8Array, dtype: SafetensorsDType, copy = true): RawData {
  if (!LITTLE_ENDIAN) return decodeBytesPortable(bytes, dtype);
  const width = DTYPE_BYTES[dtype];
  const aligned = !copy && bytes.byteOffset % width === 0;
  const src = aligned ? bytes : new Uint8Array(bytes); // a copy even for a Buffer (whose slice() is a view)
  return new ARRAY_TYPES[dtype](src.buffer as ArrayBuffer, src.byteOffset, src.byteLength / width) as RawData;
}

/** Element-wise decoding for big-endian hosts. */
function decodeBytesPortable(bytes: Uint8Array, dtype: SafetensorsDType): RawData {
  const n = bytes.byteLength / DTYPE_BYTES[dtype];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const read = <T extends { [i: number]: number | bigint }>(out: T, get: (i: number) => number | bigint): T => {
    for (let i = 0; i < n; i++) out[i] = get(i);
    return out;
  };
  switch (dtype) {
    case 'F64':
      return read(new Float64Array(n), (i) => view.getFloat64(i * 8, true));
    case 'F32':
      return read(new Float32Array(n), (i) => view.getFloat32(i * 4, true));
    case 'F16':
    case 'BF16':
      return read(new Uint16Array(n), (i) => view.getUint16(i * 2, true));
    case 'I64':
      return read(new BigInt64Array(n), (i) => view.getBigInt64(i * 8, true));
    case 'I32':
      return read(new Int32Array(n), (i) => view.getInt32(i * 4, true));
    case 'I16':
      return read(new Int16Array(n), (i) => view.getInt16(i * 2, true));
    case 'I8':
      return new Int8Array(new Uint8Array(bytes).buffer);
    case 'U8':
    case 'BOOL':
      return new Uint8Array(bytes);
  }
}

/**
 * Encodes a raw tensor's elements as little-endian bytes. On little-endian hosts this is a view of
 * `t.data` (no copy; BOOL is copied only when it holds values other than 0/1): do not modify it.
 */
export function encodeBytes(t: RawTensor): Uint8Array {
  const d = t.data;
  if (LITTLE_ENDIAN) {
    if (t.dtype === 'BOOL' && (d as Uint8Array).some((v) => v > 1))
      return Uint8Array.from(d as Uint8Array, (v) => (v ? 1 : 0));
    return new Uint8Array(d.buffer, d.byteOffset, d.byteLength);
  }
  const n = d.length;
  const out = new Uint8Array(n * DTYPE_BYTES[t.dtype]);
  const view = new DataView(out.buffer);
  switch (t.dtype) {
    case 'F64':
      for (let i = 0; i < n; i++) view.setFloat64(i * 8, d[i] as number, true);
      break;
    case 'F32':
      for (let i = 0; i < n; i++) view.setFloat32(i * 4, d[i] as number, true);
      break;
    case 'F16':
    case 'BF16':
      for (let i = 0; i < n; i++) view.setUint16(i * 2, d[i] as number, true);
      break;
    case 'I64':
      for (let i = 0; i < n; i++) view.setBigInt64(i * 8, d[i] as bigint, true);
      break;
    case 'I32':
      for (let i = 0; i < n; i++) view.setInt32(i * 4, d[i] as number, true);
      break;
    case 'I16':
      for (let i = 0; i < n; i++) view.setInt16(i * 2, d[i] as number, true);
      break;
    case 'I8':
    case 'U8':
      for (let i = 0; i < n; i++) view.setUint8(i, (d[i] as number) & 0xff);
      break;
    case 'BOOL':
      for (let i = 0; i < n; i++) view.setUint8(i, d[i] ? 1 : 0);
      break;
  }
  return out;
}

/** Narrows float32 values to F16 or BF16 bits, rounding to nearest even. */
export function narrowFloats(data: Float32Array, to: 'F16' | 'BF16'): Uint16Array {
  const narrow = to === 'F16' ? floatToHalf : floatToBf16;
  const out = new Uint16Array(data.length);
  for (let i = 0; i < data.length; i++) out[i] = narrow(data[i] as number);
  return out;
}

/**
 * Converts to a tfjs tensor: floating types become float32 (F16/BF16 widened, F64 narrowed),
 * integer types int32 (I64 must fit), BOOL bool.
 */
export function rawToTensor(t: RawTensor, where: { file?: string; tensor?: string } = {}): tf.Tensor {
  const n = t.data.length;
  switch (t.dtype) {
    case 'F32':
      return tf.tensor(t.data as Float32Array, t.shape, 'float32');
    case 'F64':
      return tf.tensor(Float32Array.from(t.data as Float64Array), t.shape, 'float32');
    case 'F16':
    case 'BF16': {
      const widen = t.dtype === 'F16' ? halfToFloat : bf16ToFloat;
      const out = new Float32Array(n);
      for (let i = 0; i < n; i++) out[i] = widen((t.data as Uint16Array)[i] as number);
      return tf.tensor(out, t.shape, 'float32');
    }
    case 'I64': {
      const out = new Int32Array(n);
      const src = t.data as BigInt64Array;
      for (let i = 0; i < n; i++) {
        const v = src[i] as bigint;
        if (v > 2147483647n || v < -2147483648n) {
          throw new DTypeError(`I64 value ${v} at element ${i} does not fit int32 (tfjs has no int64)`, where);
        }
        out[i] = Number(v);
      }
      return tf.tensor(out, t.shape, 'int32');
    }
    case 'I32':
    case 'I16':
    case 'I8':
    case 'U8':
      return tf.tensor(Int32Array.from(t.data as ArrayLike<number>), t.shape, 'int32');
    case 'BOOL':
      return tf.tensor(
        Uint8Array.from(t.data as Uint8Array, (v) => (v ? 1 : 0)),
        t.shape,
        'bool',
      );
  }
}

/**
 * Converts a tfjs tensor to its raw form (float32 -> F32, int32 -> I32, bool -> BOOL). With
 * `copy: false` the data may be the backend's own array: read it, never modify it.
 */
export function tensorToRaw(t: tf.Tensor, copy = true): RawTensor {
  const data = t.dataSync();
  const shape = [...t.shape];
  switch (t.dtype) {
    case 'float32':
      return { dtype: 'F32', shape, data: copy ? Float32Array.from(data as Float32Array) : (data as Float32Array) };
    case 'int32':
      return { dtype: 'I32', shape, data: copy ? Int32Array.from(data as Int32Array) : (data as Int32Array) };
    case 'bool':
      return { dtype: 'BOOL', shape, data: copy ? Uint8Array.from(data as Uint8Array) : (data as Uint8Array) };
    default:
      throw new DTypeError(`tfjs dtype ${t.dtype} cannot be stored in safetensors`);
  }
}
