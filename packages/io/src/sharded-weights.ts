import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { FormatError, NotFoundError } from '@kadapter/core';
import { asJsonObject, readJsonFile } from '@kadapter/files';
import { resolveInside } from './safe-path.js';
import type { RawTensor } from './raw-tensor.js';
import { TensorFile, type TensorInfo, type TensorSource } from './tensor-source.js';
import { openWeights } from './weights-file.js';

/**
 * The shards of a Hugging Face sharded checkpoint (`model.safetensors.index.json` or
 * `pytorch_model.bin.index.json`: `{ "weight_map": { tensor: shard file } }`) as one source.
 * Every shard is opened up front (headers / pickles only) and every tensor the index names is
 * checked to be in its shard; data is read tensor by tensor.
 */
export class ShardedWeights extends TensorFile {
  private constructor(
    readonly path: string,
    readonly entries: ReadonlyMap<string, TensorInfo>,
    private readonly owner: ReadonlyMap<string, TensorSource>,
    private readonly shards: TensorSource[],
  ) {
    super();
  }

  static async open(indexPath: string): Promise<ShardedWeights> {
    const index = asJsonObject(await readJsonFile(indexPath), indexPath);
    const weightMap = asJsonObject(index.weight_map, indexPath, 'weight_map');
    const dir = dirname(indexPath);
    const shardFiles = new Map<string, string>(); // shard name -> path
    for (const [tensor, shard] of Object.entries(weightMap)) {
      if (typeof shard !== 'string' || shard === '') {
        throw new FormatError(`shard for '${tensor}' is ${JSON.stringify(shard)}, not a file name`, {
          file: indexPath,
          field: 'weight_map',
          tensor,
        });
      }
      if (!shardFiles.has(shard)) {
        const path = resolveInside(dir, shard, { file: indexPath, field: 'weight_map' });
        if (!existsSync(path)) {
          throw new NotFoundError(`shard '${shard}' named by the index does not exist (${path})`, {
            file: indexPath,
            field: 'weight_map',
            tensor,
          });
        }
        shardFiles.set(shard, path);
      }
    }
    const opened = new Map<string, TensorSource>();
    try {
      for (const [shard, path] of shardFiles) opened.set(shard, await openWeights(path));
      const entries = new Map<string, TensorInfo>();
      const owner = new Map<string, TensorSource>();
      for (const [tensor, shard] of Object.entries(weightMap) as [string, string][]) {
        const source = opened.get(shard) as TensorSource;
        const info = source.entries.get(tensor);
        if (!info) {
          throw new FormatError(`the index puts '${tensor}' in '${shard}', which does not contain it`, {
            file: indexPath,
            tensor,
          });
        }
        entries.set(tensor, info);
        owner.set(tensor, source);
      }
      return new ShardedWeights(indexPath, entries, owner, [...opened.values()]);
    } catch (err) {
      for (const s of opened.values()) await s.close();
      throw err;
    }
  }

  async readRaw(name: string): Promise<RawTensor> {
    const source = this.owner.get(name);
    if (!source) throw new FormatError(`no tensor named '${name}'`, { file: this.path, tensor: name });
    return source.readRaw(name);
  }

  async close(): Promise<void> {
    for (const s of this.shards) await s.close();
  }
}
