import type { FileHandle } from 'node:fs/promises';
import { DTypeError, FormatError } from '@kadapter/core';
import { DTYPE_BYTES } from './dtypes.js';
import { PickleTruncatedError, unpickle } from './pickle.js';
import { openReadOnly } from './read-only-file.js';
import { type TorchPickleResult, type TorchStorage, unpickleTorch } from './torch-pickle.js';
import type { OpenedCheckpoint } from './torch-zip.js';

/** The number torch < 1.6 writes first (`torch.serialization.MAGIC_NUMBER`). */
const MAGIC_NUMBER = 0x1950a86a20f9469cfc6cn;
const PROTOCOL_VERSION = 1001;
const FIRST_CHUNK = 1 << 16;
/** The pickles of a state dict take a few MB at most; a corrupt length must not make us read GBs. */
const MAX_PICKLES_BYTES = 256 * 2 ** 20;

/** Only what the legacy header pickles can hold: plain values, no globals, no persistent ids. */
const plainOnly = (file: string) => ({
  file,
  findGlobal: (module: string, name: string, offset: number): never => {
    throw new FormatError(`unexpected global ${module}.${name} in a legacy checkpoint header`, { file, offset });
  },
  persistentLoad: (_pid: unknown, offset: number): never => {
    throw new FormatError('unexpected persistent id in a legacy checkpoint header', { file, offset });
  },
});

interface LegacyLayout {
  pickle: TorchPickleResult;
  keys: string[];
  /** where the storages start (after the keys pickle) */
  storagesStart: number;
}

/**
 * Opens a torch < 1.6 checkpoint (what the released K-Adapter checkpoints are): five pickles
 * (magic number, protocol version, sys_info, the data, the list of storage keys), then each storage
 * as an 8-byte element count followed by its raw little-endian elements. The pickles are read
 * with a growing prefix buffer; storages are located with one 8-byte read each and read later by
 * positioned reads, so the file is never held in memory as a whole.
 */
export async function openTorchLegacy(path: string): Promise<OpenedCheckpoint> {
  const handle = await openReadOnly(path);
  try {
    const { size } = await handle.stat();
    const layout = await readPickles(handle, path, size);
    const offsets = await locateStorages(handle, path, size, layout);
    return {
      pickle: layout.pickle,
      reader: {
        read: async (storage, begin, end, tensor) => {
          const start = offsets.get(storage.key) as number;
          const out = new Uint8Array(end - begin);
          const { bytesRead } = await handle.read(out, 0, out.byteLength, start + begin);
          if (bytesRead !== out.byteLength) {
            throw new FormatError(`file ended while reading storage '${storage.key}'`, { file: path, tensor });
          }
          return out;
        },
        close: () => handle.close(),
      },
    };
  } catch (err) {
    await handle.close();
    throw err;
  }
}

async function readPickles(handle: FileHandle, file: string, size: number): Promise<LegacyLayout> {
  const limit = Math.min(size, MAX_PICKLES_BYTES);
  for (let chunk = Math.min(FIRST_CHUNK, limit); ; chunk = Math.min(chunk * 4, limit)) {
    const bytes = new Uint8Array(chunk);
    await handle.read(bytes, 0, chunk, 0);
    try {
      return parseHeader(bytes, file);
    } catch (err) {
      if (!(err instanceof PickleTruncatedError) || chunk === size) throw err;
      if (chunk === limit) {
        throw new FormatError(`the pickles do not end within the first ${limit} bytes: corrupt checkpoint`, {
          file,
          offset: 0,
          cause: err,
        });
      }
    }
  }
}

function parseHeader(bytes: Uint8Array, file: string): LegacyLayout {
  if (bytes[0] !== 0x80) {
    const tar = new TextDecoder().decode(bytes.subarray(257, 262)) === 'ustar';
    throw new FormatError(
      tar
        ? 'tar-format checkpoint (torch < 0.4) is not supported; re-save it with a newer torch'
        : `does not start with a pickle (byte 0x${(bytes[0] ?? 0).toString(16)}): not a torch checkpoint`,
      { file, offset: 0 },
    );
  }
  const magic = unpickle(bytes, 0, plainOnly(file));
  if (magic.value !== MAGIC_NUMBER) {
    throw new FormatError(`first pickle is ${String(magic.value)}, not the torch magic number`, { file, offset: 0 });
  }
  const protocol = unpickle(bytes, magic.end, plainOnly(file));
  if (protocol.value !== PROTOCOL_VERSION) {
    throw new FormatError(`legacy protocol version ${String(protocol.value)} is not ${PROTOCOL_VERSION}`, {
      file,
      offset: magic.end,
    });
  }
  const sysInfo = unpickle(bytes, protocol.end, plainOnly(file));
  if (!(sysInfo.value instanceof Map) || sysInfo.value.get('little_endian') !== true) {
    throw new DTypeError('the checkpoint was not written on a little-endian machine', {
      file,
      offset: protocol.end,
      field: 'sys_info.little_endian',
    });
  }
  const pickle = unpickleTorch(bytes, sysInfo.end, { file, baseOffset: 0, format: 'legacy' });
  const keys = unpickle(bytes, pickle.end, plainOnly(file));
  if (!Array.isArray(keys.value) || !keys.value.every((k) => typeof k === 'string')) {
    throw new FormatError('storage key list is not a list of strings', { file, offset: pickle.end });
  }
  return { pickle, keys: keys.value as string[], storagesStart: keys.end };
}

/** Walks the storage section: [int64 numel][numel * element size bytes] per key, in key-list order. */
async function locateStorages(
  handle: FileHandle,
  file: string,
  size: number,
  { pickle, keys, storagesStart }: LegacyLayout,
): Promise<Map<string, number>> {
  const offsets = new Map<string, number>();
  const countBuf = Buffer.alloc(8);
  let pos = storagesStart;
  for (const key of keys) {
    const s = pickle.storages.get(key) as TorchStorage | undefined;
    if (!s) throw new FormatError(`storage key '${key}' is listed but no tensor uses it`, { file, offset: pos });
    if (!s.dtype) {
      throw new DTypeError(`storage '${key}' has unsupported type torch.${s.typeName}`, { file, offset: pos });
    }
    if (pos + 8 > size) throw new FormatError(`file ends before storage '${key}'`, { file, offset: pos });
    await handle.read(countBuf, 0, 8, pos);
    const numel = countBuf.readBigInt64LE(0);
    if (numel !== BigInt(s.numel)) {
      throw new FormatError(`storage '${key}' is stored with ${numel} elements, the pickle says ${s.numel}`, {
        file,
        offset: pos,
      });
    }
    offsets.set(key, pos + 8);
    pos += 8 + s.numel * DTYPE_BYTES[s.dtype];
    if (pos > size) {
      throw new FormatError(`storage '${key}' runs past the end of the file (${pos} > ${size} bytes): truncated`, {
        file,
        offset: pos,
      });
    }
  }
  for (const key of pickle.storages.keys()) {
    if (!offsets.has(key)) throw new FormatError(`storage '${key}' is used but not stored`, { file });
  }
  return offsets;
}
