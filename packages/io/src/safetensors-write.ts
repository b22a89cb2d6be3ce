import { DTypeError, FormatError } from '@kadapter/core';
import * as tf from '@tensorflow/tfjs';
import { writeAll, writeFileAtomic } from '@kadapter/files';
import { DTYPE_BYTES, type SafetensorsDType } from './dtypes.js';
import { assertRawTensor, elementCount, encodeBytes, narrowFloats, type RawTensor, tensorToRaw } from './raw-tensor.js';

export interface SaveSafetensorsOptions {
  /** string-to-string metadata stored under `__metadata__` */
  metadata?: Record<string, string>;
  /**
   * The dtype float32 tensors (tfjs float32 or raw F32) are written as. F16/BF16 narrow with
   * round-to-nearest-even. Default F32.
   */
  floatDType?: 'F32' | 'F16' | 'BF16';
}

interface Planned {
  name: string;
  dtype: SafetensorsDType;
  shape: number[];
  begin: number;
  end: number;
}

/**
 * Writes tensors to a safetensors file. tfjs tensors are stored as F32/I32/BOOL (float32 optionally
 * narrowed, see `floatDType`), raw tensors as their own dtype. Like the reference writer, the header
 * is compact JSON padded with spaces to a multiple of 8 bytes; tensors are ordered by name (header
 * keys and data alike) and `__metadata__` comes last. The file is written under a temp name in the
 * same directory and renamed, so `path` is either the old file or the complete new one.
 */
export async function saveSafetensors(
  path: string,
  tensors: ReadonlyMap<string, tf.Tensor | RawTensor>,
  options: SaveSafetensorsOptions = {},
): Promise<void> {
  const floatDType = options.floatDType ?? 'F32';
  if (!['F32', 'F16', 'BF16'].includes(floatDType)) {
    throw new DTypeError(`floatDType must be F32, F16 or BF16, got ${JSON.stringify(floatDType)}`, { file: path });
  }
  const plan = planLayout(path, tensors, floatDType);
  const header = encodeHeader(path, plan, options.metadata);
  await writeFileAtomic(path, async (handle) => {
    const prefix = new Uint8Array(8);
    new DataView(prefix.buffer).setBigUint64(0, BigInt(header.byteLength), true);
    await writeAll(handle, prefix);
    await writeAll(handle, header);
    for (const p of plan) {
      const raw = toStoredRaw(tensors.get(p.name) as tf.Tensor | RawTensor, p.dtype);
      await writeAll(handle, encodeBytes(raw));
    }
  });
}

/** Validates every tensor and assigns byte ranges, in name order, without touching the data. */
function planLayout(
  file: string,
  tensors: ReadonlyMap<string, tf.Tensor | RawTensor>,
  floatDType: 'F32' | 'F16' | 'BF16',
): Planned[] {
  const names = [...tensors.keys()].sort(compareNames);
  const plan: Planned[] = [];
  let pos = 0;
  for (const name of names) {
    const where = { file, tensor: name };
    if (name === '' || name === '__metadata__') throw new FormatError('tensor name is reserved or empty', where);
    const t = tensors.get(name) as tf.Tensor | RawTensor;
    let dtype: SafetensorsDType;
    if (t instanceof tf.Tensor) {
      if (t.isDisposed) throw new FormatError('tfjs tensor is disposed', where);
      dtype = TF_DTYPES[t.dtype] ?? unsupportedTf(t.dtype, where);
    } else {
      assertRawTensor(t, where);
      dtype = t.dtype;
    }
    if (dtype === 'F32') dtype = floatDType;
    const size = elementCount(t.shape) * DTYPE_BYTES[dtype];
    plan.push({ name, dtype, shape: [...t.shape], begin: pos, end: pos + size });
    pos += size;
  }
  return plan;
}

const TF_DTYPES: Partial<Record<string, SafetensorsDType>> = { float32: 'F32', int32: 'I32', bool: 'BOOL' };

function unsupportedTf(dtype: string, where: { file: string; tensor: string }): never {
  throw new DTypeError(`tfjs dtype ${dtype} cannot be stored in safetensors`, where);
}

/** Code-unit order, as Python's sorted() and Rust's str ordering agree on for BMP names. */
function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function encodeHeader(file: string, plan: Planned[], metadata: Record<string, string> | undefined): Uint8Array {
  // Built by hand: a JS object would move integer-like keys ("0", "12") to the front.
  const fields = plan.map(
    (p) =>
      `${JSON.stringify(p.name)}:${JSON.stringify({ dtype: p.dtype, shape: p.shape, data_offsets: [p.begin, p.end] })}`,
  );
  if (metadata !== undefined) {
    const entries = Object.keys(metadata)
      .sort(compareNames)
      .map((key) => {
        const value = metadata[key];
        if (typeof value !== 'string') {
          throw new FormatError(`metadata value for '${key}' is not a string`, { file, field: '__metadata__' });
        }
        return `${JSON.stringify(key)}:${JSON.stringify(value)}`;
      });
    fields.push(`"__metadata__":{${entries.join(',')}}`);
  }
  const json = new TextEncoder().encode(`{${fields.join(',')}}`);
  const padded = new Uint8Array(Math.ceil(json.byteLength / 8) * 8).fill(0x20);
  padded.set(json);
  return padded;
}

/** The tensor's elements in the dtype they are stored as (F32 narrowed when the plan says so). */
function toStoredRaw(t: tf.Tensor | RawTensor, dtype: SafetensorsDType): RawTensor {
  const raw = t instanceof tf.Tensor ? tensorToRaw(t, false) : t;
  if (raw.dtype === 'F32' && (dtype === 'F16' || dtype === 'BF16')) {
    return { dtype, shape: raw.shape, data: narrowFloats(raw.data as Float32Array, dtype) };
  }
  return raw;
}
