import type * as tf from '@tensorflow/tfjs';
import type { SafetensorsDType } from './dtypes.js';
import { type RawTensor, rawToTensor } from './raw-tensor.js';

/** What is known about a stored tensor before its data is read. */
export interface TensorInfo {
  readonly dtype: SafetensorsDType;
  readonly shape: readonly number[];
}

/**
 * An open weights file (or set of files): names, dtypes and shapes are known up front, data is
 * read tensor by tensor. `entries` can be passed to `verifyWeights` before anything is loaded.
 */
export interface TensorSource {
  /** the file (or index file, or directory) the tensors come from; used in error messages */
  readonly path: string;
  readonly entries: ReadonlyMap<string, TensorInfo>;
  readonly names: string[];
  /** one tensor's elements as stored (dtype and shape of its entry) */
  readRaw(name: string): Promise<RawTensor>;
  /** one tensor as a tfjs tensor (floats as float32, integers as int32, BOOL as bool) */
  readTensor(name: string): Promise<tf.Tensor>;
  close(): Promise<void>;
}

/** The shared part of every file-backed source: names and the tfjs conversion. */
export abstract class TensorFile implements TensorSource {
  abstract readonly path: string;
  abstract readonly entries: ReadonlyMap<string, TensorInfo>;
  abstract readRaw(name: string): Promise<RawTensor>;
  abstract close(): Promise<void>;

  get names(): string[] {
    return [...this.entries.keys()];
  }

  async readTensor(name: string): Promise<tf.Tensor> {
    return rawToTensor(await this.readRaw(name), { file: this.path, tensor: name });
  }
}

/**
 * Reads every tensor of `source` that `filter` accepts as tfjs tensors. If one fails, those
 * already created are disposed before the error propagates. The source stays open.
 */
export async function readAllTensors(
  source: TensorSource,
  filter: (name: string) => boolean = () => true,
): Promise<Map<string, tf.Tensor>> {
  const out = new Map<string, tf.Tensor>();
  try {
    for (const name of source.names) if (filter(name)) out.set(name, await source.readTensor(name));
  } catch (err) {
    for (const t of out.values()) t.dispose();
    throw err;
  }
  return out;
}

/** Reads every tensor of `source` that `filter` accepts in its stored form. The source stays open. */
export async function readAllRaw(
  source: TensorSource,
  filter: (name: string) => boolean = () => true,
): Promise<Map<string, RawTensor>> {
  const out = new Map<string, RawTensor>();
  for (const name of source.names) if (filter(name)) out.set(name, await source.readRaw(name));
  return out;
}

/** Runs `use` on a source opened by `open` and always closes it. */
export async function withSource<T>(
  open: () => Promise<TensorSource>,
  use: (source: TensorSource) => Promise<T>,
): Promise<T> {
  const source = await open();
  try {
    return await use(source);
  } finally {
    await source.close();
  }
}
