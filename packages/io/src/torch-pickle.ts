import { DTypeError, FormatError, UnsafePickleError } from '@kadapter/core';
import type { SafetensorsDType } from './dtypes.js';
import { describe, type PickleBuildable, type PickleCallable, unpickle } from './pickle.js';

/**
 * The torch layer over the restricted unpickler: the only globals a tensor state dict needs, the
 * storage persistent ids of both checkpoint formats, and the tensors the pickle describes.
 */

/** `torch.<Name>Storage` -> dtype. Storage types not listed here are refused when a tensor uses them. */
const STORAGE_DTYPES: Record<string, SafetensorsDType> = {
  DoubleStorage: 'F64',
  FloatStorage: 'F32',
  HalfStorage: 'F16',
  BFloat16Storage: 'BF16',
  LongStorage: 'I64',
  IntStorage: 'I32',
  ShortStorage: 'I16',
  CharStorage: 'I8',
  ByteStorage: 'U8',
  BoolStorage: 'BOOL',
};

/** A storage as the pickle names it; its bytes live elsewhere (zip entry or legacy data section). */
export interface TorchStorage {
  key: string;
  typeName: string;
  dtype: SafetensorsDType | undefined;
  /** number of elements */
  numel: number;
}

/** A (legacy) storage view: `numel` elements of `root` from element `offset`. Zip files always use offset 0. */
export interface StorageSlice {
  root: TorchStorage;
  offset: number;
  numel: number;
}

/** What `torch._utils._rebuild_tensor_v2` was called with: a strided view of a storage. */
export class TensorRef {
  constructor(
    readonly storage: StorageSlice,
    readonly offset: number,
    readonly shape: number[],
    readonly stride: number[],
  ) {}
}

class StorageType {
  readonly qualifiedName: string;
  constructor(readonly name: string) {
    this.qualifiedName = `torch.${name}`;
  }
}

/** `collections.OrderedDict`: a Map; BUILD only carries `_metadata` (module versions), ignored. */
class OrderedDict extends Map<unknown, unknown> implements PickleBuildable {
  setState(): void {}
}

function callable(qualifiedName: string, call: (args: unknown[], offset: number) => unknown): PickleCallable {
  return { qualifiedName, call };
}

export interface TorchPickleOptions {
  file: string;
  baseOffset: number;
  /** the checkpoint layout, which decides the persistent id shape */
  format: 'zip' | 'legacy';
}

export interface TorchPickleResult {
  value: unknown;
  end: number;
  /** every storage the pickle referenced, by key */
  storages: Map<string, TorchStorage>;
}

/** Unpickles a torch data pickle, allowing only the globals a tensor state dict needs. */
export function unpickleTorch(bytes: Uint8Array, start: number, options: TorchPickleOptions): TorchPickleResult {
  const { file } = options;
  const storages = new Map<string, TorchStorage>();
  const where = (offset: number) => ({ file, offset });

  const globals: Record<string, unknown> = {
    'collections.OrderedDict': callable('collections.OrderedDict', (args, offset) => {
      if (args.length > 0) throw new FormatError('OrderedDict called with arguments', where(offset));
      return new OrderedDict();
    }),
    'torch._utils._rebuild_tensor_v2': callable('torch._utils._rebuild_tensor_v2', (args, offset) =>
      rebuildTensor(args, where(offset)),
    ),
    'torch._utils._rebuild_parameter': callable('torch._utils._rebuild_parameter', (args, offset) => {
      if (!(args[0] instanceof TensorRef)) {
        throw new FormatError(`_rebuild_parameter expects a tensor, got ${describe(args[0])}`, where(offset));
      }
      return args[0];
    }),
  };

  const findGlobal = (module: string, name: string, offset: number): unknown => {
    const qualified = `${module}.${name}`;
    const known = globals[qualified];
    if (known) return known;
    if (module === 'torch' && /^[A-Za-z0-9]+Storage$/.test(name)) return new StorageType(name);
    throw new UnsafePickleError(
      `forbidden global '${qualified}': a tensor checkpoint only needs ${Object.keys(globals).join(', ')} and torch.*Storage; nothing was executed`,
      where(offset),
    );
  };

  const persistentLoad = (pid: unknown, offset: number): StorageSlice => {
    const expected = options.format === 'zip' ? 5 : 6;
    if (!Array.isArray(pid) || pid[0] !== 'storage' || pid.length !== expected) {
      throw new FormatError(
        `persistent id is not a ${options.format} storage reference (${describe(pid)})`,
        where(offset),
      );
    }
    const [, type, key, , numel, view] = pid as [string, unknown, unknown, unknown, unknown, unknown];
    if (!(type instanceof StorageType)) throw new FormatError(`storage type is ${describe(type)}`, where(offset));
    if (typeof key !== 'string' || !isCount(numel)) {
      throw new FormatError(`storage reference has key ${describe(key)} and size ${describe(numel)}`, where(offset));
    }
    const root = storageFor(key, type, numel, offset);
    if (view === null || view === undefined) return { root, offset: 0, numel };
    // legacy storage view: (view_key, offset, view_size) into the root storage
    const [, viewOffset, viewSize] = Array.isArray(view) ? view : [];
    if (!isCount(viewOffset) || !isCount(viewSize) || viewOffset + viewSize > numel) {
      throw new FormatError(`storage view ${describe(view)} does not fit storage '${key}'`, where(offset));
    }
    return { root, offset: viewOffset, numel: viewSize };
  };

  const storageFor = (key: string, type: StorageType, numel: number, offset: number): TorchStorage => {
    const seen = storages.get(key);
    if (seen) {
      if (seen.typeName !== type.name || seen.numel !== numel) {
        throw new FormatError(
          `storage '${key}' is referenced as ${seen.typeName}[${seen.numel}] and as ${type.name}[${numel}]`,
          where(offset),
        );
      }
      return seen;
    }
    const s: TorchStorage = { key, typeName: type.name, dtype: STORAGE_DTYPES[type.name], numel };
    storages.set(key, s);
    return s;
  };

  const { value, end } = unpickle(bytes, start, { file, baseOffset: options.baseOffset, findGlobal, persistentLoad });
  return { value, end, storages };
}

function isCount(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

/** `_rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata])` */
function rebuildTensor(args: unknown[], where: { file: string; offset: number }): TensorRef {
  const [storage, offset, shape, stride] = args;
  if (args.length < 4 || !isSlice(storage)) {
    throw new FormatError(`_rebuild_tensor_v2 called with ${describe(args)}`, where);
  }
  if (!isCount(offset) || !isCountList(shape) || !isCountList(stride) || shape.length !== stride.length) {
    throw new FormatError(
      `_rebuild_tensor_v2 has offset ${describe(offset)}, size ${JSON.stringify(shape)}, stride ${JSON.stringify(stride)}`,
      where,
    );
  }
  return new TensorRef(storage, offset, shape, stride);
}

function isSlice(v: unknown): v is StorageSlice {
  return typeof v === 'object' && v !== null && 'root' in v && 'numel' in v;
}

function isCountList(v: unknown): v is number[] {
  return Array.isArray(v) && v.every(isCount);
}

const MAX_NESTING = 32;

export interface StateDictTensor {
  name: string;
  ref: TensorRef;
  dtype: SafetensorsDType;
}

/**
 * The tensors of an unpickled state dict. Nested dicts are flattened with '.' (a checkpoint
 * `{ 'model': {...} }` yields `model.<name>`); values that are not tensors are returned in
 * `ignored`. Each tensor's view must fit its storage and its storage type must be supported.
 */
export function stateDictTensors(value: unknown, file: string): { tensors: StateDictTensor[]; ignored: string[] } {
  if (!(value instanceof Map)) throw new FormatError(`checkpoint holds ${describe(value)}, not a state dict`, { file });
  const tensors: StateDictTensor[] = [];
  const ignored: string[] = [];
  const open = new Set<Map<unknown, unknown>>(); // dicts being visited: a pickle can make a dict contain itself
  const visit = (map: Map<unknown, unknown>, prefix: string) => {
    if (open.has(map) || open.size >= MAX_NESTING) {
      throw new FormatError(`state dict nesting at '${prefix}' is cyclic or deeper than ${MAX_NESTING}`, { file });
    }
    open.add(map);
    for (const [key, v] of map) {
      const name = `${prefix}${String(key)}`;
      if (v instanceof TensorRef) tensors.push({ name, ref: v, dtype: checkTensor(v, name, file) });
      else if (v instanceof Map) visit(v, `${name}.`);
      else ignored.push(name);
    }
    open.delete(map);
  };
  visit(value, '');
  return { tensors, ignored };
}

function checkTensor(ref: TensorRef, name: string, file: string): SafetensorsDType {
  const where = { file, tensor: name };
  const { root } = ref.storage;
  if (!root.dtype) {
    throw new DTypeError(`storage type torch.${root.typeName} is not supported`, where);
  }
  const last = lastIndex(ref);
  if (last >= ref.storage.numel) {
    throw new FormatError(
      `view (offset ${ref.offset}, size [${ref.shape}], stride [${ref.stride}]) reaches element ${last} of a storage of ${ref.storage.numel}`,
      where,
    );
  }
  return root.dtype;
}

/** Index (in storage elements, from the view's storage start) of the last element the tensor touches; -1 if empty. */
export function lastIndex(ref: TensorRef): number {
  if (ref.shape.some((d) => d === 0)) return -1;
  return ref.shape.reduce((acc, d, i) => acc + (d - 1) * (ref.stride[i] as number), ref.offset);
}
