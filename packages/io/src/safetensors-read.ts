import type { FileHandle } from 'node:fs/promises';
import { FormatError, ShapeError } from '@kadapter/core';
import type * as tf from '@tensorflow/tfjs';
import { assertDType, DTYPE_BYTES, type SafetensorsDType } from './dtypes.js';
import { decodeBytes, elementCount, type RawTensor } from './raw-tensor.js';
import { openReadOnly } from './read-only-file.js';
import { readAllTensors, TensorFile, type TensorInfo, withSource } from './tensor-source.js';

/** One tensor's header entry. `begin`/`end` are byte offsets in the data section. */
export interface SafetensorsEntry extends TensorInfo {
  name: string;
  dtype: SafetensorsDType;
  shape: number[];
  begin: number;
  end: number;
}

/** Largest header this reader accepts (the reference implementation's limit). */
const MAX_HEADER_BYTES = 100_000_000;

/**
 * An open safetensors file. Only the header is read on open; each tensor is read on its own
 * (one positioned read of its byte range), so loading a large checkpoint never holds the whole
 * file in one buffer.
 */
export class SafetensorsFile extends TensorFile {
  private constructor(
    readonly path: string,
    private readonly handle: FileHandle,
    readonly metadata: Record<string, string>,
    readonly entries: ReadonlyMap<string, SafetensorsEntry>,
    private readonly dataStart: number,
  ) {
    super();
  }

  /** Opens and validates the header: dtypes, shapes and byte ranges against the file size. */
  static async open(path: string): Promise<SafetensorsFile> {
    const handle = await openReadOnly(path);
    try {
      const { size } = await handle.stat();
      if (size < 8) throw new FormatError(`file is ${size} bytes, too short for a safetensors header`, { file: path });
      const lenBuf = Buffer.alloc(8);
      await handle.read(lenBuf, 0, 8, 0);
      const headerLen = lenBuf.readBigUInt64LE(0);
      if (headerLen > BigInt(Math.min(MAX_HEADER_BYTES, size - 8))) {
        throw new FormatError(
          `header length ${headerLen} exceeds the file (${size} bytes): truncated or not safetensors`,
          {
            file: path,
            offset: 0,
          },
        );
      }
      const n = Number(headerLen);
      const headerBuf = Buffer.alloc(n);
      await handle.read(headerBuf, 0, n, 8);
      if (headerBuf[0] !== 0x7b) {
        throw new FormatError(`header does not start with '{' (byte 0x${(headerBuf[0] ?? 0).toString(16)})`, {
          file: path,
          offset: 8,
        });
      }
      let header: unknown;
      try {
        header = JSON.parse(headerBuf.toString('utf8'));
      } catch (err) {
        throw new FormatError(`header is not valid JSON (${(err as Error).message})`, {
          file: path,
          offset: 8,
          cause: err,
        });
      }
      if (typeof header !== 'object' || header === null || Array.isArray(header)) {
        throw new FormatError('header is not a JSON object', { file: path, offset: 8 });
      }
      const dataStart = 8 + n;
      const { entries, metadata } = parseHeader(header as Record<string, unknown>, path, size - dataStart);
      return new SafetensorsFile(path, handle, metadata, entries, dataStart);
    } catch (err) {
      await handle.close();
      throw err;
    }
  }

  /** Reads one tensor's elements as stored. */
  async readRaw(name: string): Promise<RawTensor> {
    const e = this.entries.get(name);
    if (!e) throw new FormatError(`no tensor named '${name}'`, { file: this.path, tensor: name });
    const bytes = new Uint8Array(e.end - e.begin);
    const { bytesRead } = await this.handle.read(bytes, 0, bytes.byteLength, this.dataStart + e.begin);
    if (bytesRead !== bytes.byteLength) {
      throw new FormatError(`file ended while reading (got ${bytesRead} of ${bytes.byteLength} bytes)`, {
        file: this.path,
        tensor: name,
      });
    }
    return { dtype: e.dtype, shape: [...e.shape], data: decodeBytes(bytes, e.dtype, false) };
  }

  async close(): Promise<void> {
    await this.handle.close();
  }
}

function parseHeader(
  header: Record<string, unknown>,
  file: string,
  dataSize: number,
): { entries: Map<string, SafetensorsEntry>; metadata: Record<string, string> } {
  const entries = new Map<string, SafetensorsEntry>();
  let metadata: Record<string, string> = {};
  for (const [name, value] of Object.entries(header)) {
    if (name === '__metadata__') {
      metadata = parseMetadata(value, file);
      continue;
    }
    const where = { file, tensor: name };
    if (typeof value !== 'object' || value === null) throw new FormatError('header entry is not an object', where);
    const v = value as Record<string, unknown>;
    const dtype = assertDType(v.dtype, where);
    const shape = v.shape;
    if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
      throw new ShapeError(`shape ${JSON.stringify(shape)} is not a list of non-negative integers`, where);
    }
    const offsets = v.data_offsets;
    if (
      !Array.isArray(offsets) ||
      offsets.length !== 2 ||
      !offsets.every((o) => Number.isSafeInteger(o) && o >= 0) ||
      offsets[0] > offsets[1]
    ) {
      throw new FormatError(`data_offsets ${JSON.stringify(offsets)} is not [begin, end] with begin <= end`, where);
    }
    const [begin, end] = offsets as [number, number];
    const expected = elementCount(shape) * DTYPE_BYTES[dtype];
    if (end - begin !== expected) {
      throw new FormatError(
        `data_offsets [${begin}, ${end}] span ${end - begin} bytes but ${dtype}[${shape}] needs ${expected}`,
        where,
      );
    }
    if (end > dataSize) {
      throw new FormatError(
        `data_offsets end ${end} is past the end of the data (${dataSize} bytes): truncated file`,
        where,
      );
    }
    entries.set(name, { name, dtype, shape, begin, end });
  }
  checkCoverage(entries, dataSize, file);
  return { entries, metadata };
}

function parseMetadata(value: unknown, file: string): Record<string, string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new FormatError('__metadata__ is not an object', { file, field: '__metadata__' });
  }
  for (const [k, v] of Object.entries(value)) {
    if (typeof v !== 'string')
      throw new FormatError(`__metadata__.${k} is not a string`, { file, field: '__metadata__' });
  }
  return value as Record<string, string>;
}

/** Byte ranges must tile the data section without overlaps or holes (as the reference reader checks). */
function checkCoverage(entries: Map<string, SafetensorsEntry>, dataSize: number, file: string): void {
  const sorted = [...entries.values()].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let pos = 0;
  for (const e of sorted) {
    if (e.begin !== pos) {
      const what = e.begin < pos ? 'overlaps the previous tensor' : `leaves a hole of ${e.begin - pos} bytes before it`;
      throw new FormatError(`data_offsets [${e.begin}, ${e.end}] ${what}`, { file, tensor: e.name });
    }
    pos = e.end;
  }
  if (pos !== dataSize) {
    throw new FormatError(`tensors cover ${pos} bytes but the data section has ${dataSize}`, { file });
  }
}

/** Loads every tensor (or those `filter` accepts) of a safetensors file as tfjs tensors. */
export async function loadSafetensors(
  path: string,
  filter: (name: string) => boolean = () => true,
): Promise<Map<string, tf.Tensor>> {
  return withSource(
    () => SafetensorsFile.open(path),
    (f) => readAllTensors(f, filter),
  );
}
