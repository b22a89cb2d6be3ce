import { FormatError } from '@kadapter/core';
import { DTYPE_BYTES, type SafetensorsDType } from './dtypes.js';
import { decodeBytes, type RawTensor } from './raw-tensor.js';
import { readHead } from './read-only-file.js';
import { gatherStrided, isContiguous } from './strided-view.js';
import { openTorchLegacy } from './torch-legacy.js';
import { lastIndex, stateDictTensors, type TensorRef } from './torch-pickle.js';
import { type OpenedCheckpoint, openTorchZip, type StorageReader } from './torch-zip.js';
import { readAllRaw, TensorFile, withSource } from './tensor-source.js';

/** One tensor of a checkpoint: its dtype and shape, and the strided view of a storage it is. */
export interface TorchTensorEntry {
  dtype: SafetensorsDType;
  shape: number[];
  ref: TensorRef;
}

/**
 * An open PyTorch checkpoint (`torch.save` of a state dict): the zip format of torch >= 1.6 or
 * the legacy pickle format of older torch, detected from the first bytes. The pickle is read by a
 * restricted unpickler (only OrderedDict, `_rebuild_tensor_v2`, `_rebuild_parameter` and
 * `torch.*Storage`; anything else is an UnsafePickleError and nothing is executed). Tensors are
 * read one at a time, each with one read of the byte range its view covers; non-contiguous views
 * (transposes, steps, broadcasts, shared storages) come out as contiguous copies.
 */
export class TorchCheckpoint extends TensorFile {
  private constructor(
    readonly path: string,
    readonly format: 'zip' | 'legacy',
    readonly entries: ReadonlyMap<string, TorchTensorEntry>,
    /** names of non-tensor values in the checkpoint (e.g. an epoch counter), which are skipped */
    readonly ignored: readonly string[],
    private readonly reader: StorageReader,
  ) {
    super();
  }

  static async open(path: string): Promise<TorchCheckpoint> {
    const format = await sniffTorchFormat(path);
    const opened: OpenedCheckpoint = format === 'zip' ? await openTorchZip(path) : await openTorchLegacy(path);
    try {
      const { tensors, ignored } = stateDictTensors(opened.pickle.value, path);
      const entries = new Map<string, TorchTensorEntry>();
      for (const t of tensors) {
        if (entries.has(t.name)) throw new FormatError('tensor name appears twice', { file: path, tensor: t.name });
        entries.set(t.name, { dtype: t.dtype, shape: t.ref.shape, ref: t.ref });
      }
      return new TorchCheckpoint(path, format, entries, ignored, opened.reader);
    } catch (err) {
      await opened.reader.close();
      throw err;
    }
  }

  async readRaw(name: string): Promise<RawTensor> {
    const e = this.entries.get(name);
    if (!e) throw new FormatError(`no tensor named '${name}'`, { file: this.path, tensor: name });
    const { ref, dtype } = e;
    const width = DTYPE_BYTES[dtype];
    const last = lastIndex(ref);
    const first = ref.storage.offset + ref.offset; // in elements of the root storage
    const bytes =
      last < 0
        ? new Uint8Array(0)
        : await this.reader.read(ref.storage.root, first * width, (ref.storage.offset + last + 1) * width, name);
    const span = decodeBytes(bytes, dtype, false);
    const data = isContiguous(ref.shape, ref.stride) ? span : gatherStrided(span, ref.shape, ref.stride);
    return { dtype, shape: [...ref.shape], data };
  }

  async close(): Promise<void> {
    await this.reader.close();
  }
}

/** zip (torch >= 1.6) or legacy pickle (torch < 1.6), from the first bytes of the file. */
async function sniffTorchFormat(path: string): Promise<'zip' | 'legacy'> {
  const head = await readHead(path, 4);
  if (head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) return 'zip';
  return 'legacy';
}

/** Loads every tensor of a PyTorch checkpoint in its stored dtype (see TorchCheckpoint). */
export async function loadTorchCheckpoint(
  path: string,
  filter: (name: string) => boolean = () => true,
): Promise<Map<string, RawTensor>> {
  return withSource(
    () => TorchCheckpoint.open(path),
    (c) => readAllRaw(c, filter),
  );
}
