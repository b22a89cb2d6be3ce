import type { Readable } from 'node:stream';
import * as zlib from 'node:zlib';
import type { FileHandle } from 'node:fs/promises';
import { DTypeError, type ErrorLocation, FormatError } from '@kadapter/core';
import yauzl from 'yauzl';
import { DTYPE_BYTES } from './dtypes.js';
import { openReadOnly } from './read-only-file.js';
import { type TorchPickleResult, type TorchStorage, unpickleTorch } from './torch-pickle.js';

/** Reads byte ranges of a checkpoint's storages. */
export interface StorageReader {
  /** bytes [begin, end) of `storage`, in a fresh buffer */
  read(storage: TorchStorage, begin: number, end: number, tensor: string): Promise<Uint8Array>;
  close(): Promise<void>;
}

export interface OpenedCheckpoint {
  pickle: TorchPickleResult;
  reader: StorageReader;
}

/** Files torch >= 1.6 writes next to data.pkl that only a TorchScript archive has. */
const TORCHSCRIPT_MARKERS = ['constants.pkl', 'code/'];

/**
 * Opens a torch >= 1.6 checkpoint: a zip (stored, 64-byte aligned entries) holding
 * `<archive>/data.pkl` and one entry `<archive>/data/<key>` per storage. Only the central
 * directory and data.pkl are read here; storages are read later, range by range.
 */
export async function openTorchZip(path: string): Promise<OpenedCheckpoint> {
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.openPromise(path, { lazyEntries: true, autoClose: false, validateEntrySizes: true });
  } catch (err) {
    throw new FormatError(`not a readable zip archive: ${(err as Error).message}`, { file: path, cause: err });
  }
  let handle: FileHandle | undefined;
  try {
    const entries = new Map<string, yauzl.Entry>();
    try {
      for await (const e of zip.eachEntry()) entries.set(e.fileName, e);
    } catch (err) {
      throw new FormatError(`corrupt zip directory: ${(err as Error).message}`, { file: path, cause: err });
    }
    const pkls = [...entries.keys()].filter((n) => /^[^/]+\/data\.pkl$/.test(n));
    if (pkls.length !== 1) {
      throw new FormatError(
        `expected one <archive>/data.pkl entry, found ${pkls.length ? pkls.join(', ') : 'none'}: not a torch checkpoint`,
        { file: path },
      );
    }
    const pklName = pkls[0] as string;
    const prefix = pklName.slice(0, -'data.pkl'.length);
    if (TORCHSCRIPT_MARKERS.some((m) => [...entries.keys()].some((n) => n.startsWith(prefix + m)))) {
      throw new FormatError('this is a TorchScript archive (torch.jit.save), not a state dict', { file: path });
    }
    const byteorder = entries.get(`${prefix}byteorder`);
    if (byteorder) {
      const order = new TextDecoder().decode(await readEntry(zip, byteorder, 0, byteorder.uncompressedSize, path));
      if (order.trim() !== 'little') throw new DTypeError(`byteorder '${order}' is not supported`, { file: path });
    }
    const pklEntry = entries.get(pklName) as yauzl.Entry;
    const pklBytes = await readEntry(zip, pklEntry, 0, pklEntry.uncompressedSize, path);
    const pickle = unpickleTorch(pklBytes, 0, { file: `${path}#${pklName}`, baseOffset: 0, format: 'zip' });
    const storageEntries = new Map<string, yauzl.Entry>();
    for (const s of pickle.storages.values()) {
      const name = `${prefix}data/${s.key}`;
      const e = entries.get(name);
      if (!e) throw new FormatError(`storage '${s.key}' has no entry ${name}`, { file: path });
      if (s.dtype && e.uncompressedSize !== s.numel * DTYPE_BYTES[s.dtype]) {
        throw new FormatError(
          `entry ${name} has ${e.uncompressedSize} bytes but storage '${s.key}' is ${s.typeName}[${s.numel}] (${s.numel * DTYPE_BYTES[s.dtype]} bytes)`,
          { file: path },
        );
      }
      storageEntries.set(s.key, e);
    }
    // Stored (uncompressed) entries, which is what torch writes, are read with positioned reads
    // at the data start their local header gives; others are inflated through yauzl.
    handle = await openReadOnly(path);
    const fh = handle;
    const dataStart = new Map<string, number>();
    return {
      pickle,
      reader: {
        read: async (storage, begin, end, tensor) => {
          const entry = storageEntries.get(storage.key) as yauzl.Entry;
          if (entry.compressionMethod !== 0 || entry.isEncrypted()) {
            return readEntry(zip, entry, begin, end, path, tensor);
          }
          let start = dataStart.get(storage.key);
          if (start === undefined) {
            try {
              start = (await zip.readLocalFileHeaderPromise(entry, { minimal: true })).fileDataStart;
            } catch (err) {
              throw new FormatError(`bad local header: ${(err as Error).message}`, {
                file: path,
                tensor,
                field: entry.fileName,
                cause: err,
              });
            }
            dataStart.set(storage.key, start);
          }
          const out = new Uint8Array(end - begin);
          const { bytesRead } = await fh.read(out, 0, out.byteLength, start + begin);
          if (bytesRead !== out.byteLength) {
            throw new FormatError(`file ended inside entry ${entry.fileName}`, { file: path, tensor });
          }
          checkCrc(out, begin, end, entry, { file: path, tensor, field: entry.fileName });
          return out;
        },
        close: async () => {
          zip.close();
          await fh.close();
        },
      },
    };
  } catch (err) {
    zip.close();
    await handle?.close();
    throw err;
  }
}

/**
 * Reads bytes [begin, end) of an entry. Stored entries are read as that range only; compressed
 * ones are inflated from the start.
 */
async function readEntry(
  zip: yauzl.ZipFile,
  entry: yauzl.Entry,
  begin: number,
  end: number,
  file: string,
  tensor?: string,
): Promise<Uint8Array> {
  const out = new Uint8Array(end - begin);
  if (out.byteLength === 0) return out;
  const stored = entry.compressionMethod === 0 && !entry.isEncrypted();
  const where = { file, tensor, field: entry.fileName };
  try {
    const stream: Readable = stored
      ? await zip.openReadStreamPromise(entry, { start: begin, end, decodeFileData: false })
      : await zip.openReadStreamPromise(entry);
    const skip = stored ? 0 : begin;
    let pos = 0; // position in the stream
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      const from = Math.max(0, skip - pos);
      const to = Math.min(chunk.byteLength, skip + out.byteLength - pos);
      if (to > from) out.set(chunk.subarray(from, to), pos + from - skip);
      pos += chunk.byteLength;
      if (pos >= skip + out.byteLength) {
        stream.destroy();
        break;
      }
    }
    if (pos < skip + out.byteLength) throw new Error(`entry ended after ${pos - skip} of ${out.byteLength} bytes`);
  } catch (err) {
    if (err instanceof FormatError) throw err;
    throw new FormatError(`cannot read zip entry: ${(err as Error).message}`, { ...where, cause: err });
  }
  checkCrc(out, begin, end, entry, where);
  return out;
}

/** A whole-entry read is checked against the entry's CRC-32 (zlib.crc32: Node >= 20.15). */
function checkCrc(out: Uint8Array, begin: number, end: number, entry: yauzl.Entry, where: ErrorLocation): void {
  const crc32 = (zlib as { crc32?: (data: Uint8Array) => number }).crc32;
  if (begin === 0 && end === entry.uncompressedSize && crc32 && crc32(out) >>> 0 !== entry.crc32 >>> 0) {
    throw new FormatError('CRC-32 mismatch: the entry is corrupt', where);
  }
}
