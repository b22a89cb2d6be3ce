import { existsSync } from 'node:fs';
import { readdir, stat, statfs, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BudgetError, ConfigError, FormatError } from '@kadapter/core';
import { type Backbone, type BackboneOutput, disposeBackboneOutput, type SequenceData } from '@kadapter/nn';
import { createProgress } from '@kadapter/progress';
import { readJsonFile, writeDirectoryAtomic } from '@kadapter/files';
import { loadSafetensors, type RawTensor, saveSafetensors } from '@kadapter/io';
import * as tf from '@tensorflow/tfjs';
import { type FeatureKeyParts, featureCacheKey, hashEncodedData } from './feature-key.js';
import { forwardInBatches, sequenceData } from './batches.js';
import type { EncodedData } from './input.js';

export interface FeatureCacheOptions {
  /** root folder; each cached dataset is one sub-folder named by its key */
  dir: string;
  /** most bytes the root folder may hold after writing (default: unlimited) */
  budgetBytes?: number;
  /** target size of one shard file (default 256 MiB) */
  shardBytes?: number;
  /** sequences per backbone forward (default 8) */
  batchSize?: number;
  /** where the size estimate and notices go (default stderr) */
  log?: (line: string) => void;
  /** no progress bar */
  quiet?: boolean;
}

export interface FeatureRequest {
  /** identity of the tokenizer that made the ids (e.g. `RobertaTokenizer.fingerprint`) */
  tokenizer: string;
  /** hidden-state indices adapters read (0 = embeddings); the last layer is always stored */
  taps: readonly number[];
}

/** `manifest.json` of a cached dataset. */
export interface FeatureManifest {
  format: 'kadapter-features';
  key: string;
  parts: FeatureKeyParts;
  sequences: number;
  hiddenSize: number;
  numLayers: number;
  /** hidden-state indices stored (the taps and the last layer) */
  stored: number[];
  shards: Array<{ file: string; sequences: number }>;
}

/**
 * Tapped hidden states and the last layer of a dataset, computed once by a frozen backbone and
 * stored as safetensors shards (`hidden_states.<k>` float32 [n, L, H], `attention_mask` float32
 * [n, L]) under `<dir>/<key>/`, where the key hashes the backbone's weights (content hash, else
 * revision), position numbering, tokenizer, max length, data and taps. A second request with the
 * same parts reads the shards without running the backbone. A dataset folder appears only once complete (written under a
 * temp name, then renamed).
 */
export class FeatureCache {
  private readonly log: (line: string) => void;

  constructor(private readonly options: FeatureCacheOptions) {
    this.log = options.log ?? ((line) => process.stderr.write(`${line}\n`));
  }

  /** The features of `data`: read from the cache, or computed, written and then read. */
  async features(backbone: Backbone, data: EncodedData, request: FeatureRequest): Promise<CachedFeatures> {
    if (!backbone.frozen) {
      throw new ConfigError('the feature cache is valid only for a frozen backbone; this one was unfrozen', {
        field: 'backbone',
      });
    }
    const revision = backbone.info.contentHash ?? backbone.info.revision;
    if (revision === undefined) {
      throw new ConfigError('the backbone has no content hash or revision, so its features cannot be keyed', {
        field: 'revision',
      });
    }
    const n = backbone.info.numLayers;
    const sequences = sequenceData(data);
    backbone.validateInput(sequences);
    const taps = [...new Set(request.taps)].sort((a, b) => a - b);
    const parts: FeatureKeyParts = {
      backboneRevision: revision,
      positionIds: backbone.positionIdMode,
      tokenizer: request.tokenizer,
      maxLength: sequences.inputIds.shape[1] as number,
      dataHash: hashEncodedData(data),
      taps,
    };
    const key = featureCacheKey(parts);
    const target = join(this.options.dir, key);
    if (existsSync(join(target, 'manifest.json'))) return CachedFeatures.open(target, key, true);
    const stored = [...new Set([...taps, n])];
    const plan = planShards(
      data.inputIds.length,
      parts.maxLength,
      backbone.info.hiddenSize,
      stored.length,
      this.options.shardBytes,
    );
    await this.checkBudget(
      plan.totalBytes,
      data.inputIds.length,
      parts.maxLength,
      stored.length,
      backbone.info.hiddenSize,
    );
    // if another process publishes the same key meanwhile, its (identical) folder is kept
    await writeDirectoryAtomic(
      target,
      async (tmp) => {
        const shards = await this.writeShards(tmp, backbone, sequences, taps, stored, plan.sequencesPerShard);
        const manifest: FeatureManifest = {
          format: 'kadapter-features',
          key,
          parts,
          sequences: data.inputIds.length,
          hiddenSize: backbone.info.hiddenSize,
          numLayers: n,
          stored,
          shards,
        };
        await writeFile(join(tmp, 'manifest.json'), `${JSON.stringify(manifest, null, 1)}\n`);
      },
      { keepExisting: true },
    );
    return CachedFeatures.open(target, key, false);
  }

  private async checkBudget(bytes: number, sequences: number, length: number, states: number, hidden: number) {
    const { dir, budgetBytes } = this.options;
    this.log(
      `feature cache: writing ~${human(bytes)} (${sequences} sequences x ${length} tokens x ${states} hidden states of ${hidden} float32) to ${dir}`,
    );
    const used = await folderBytes(dir);
    if (budgetBytes !== undefined && used + bytes > budgetBytes) {
      throw new BudgetError(
        `writing ~${human(bytes)} (${bytes} bytes) would exceed the disk budget of ${human(budgetBytes)} (${budgetBytes} bytes): ${human(used)} (${used} bytes) already used, ${human(Math.max(0, budgetBytes - used))} free. Raise the budget, tap fewer layers or use less data`,
        { file: dir, field: 'budgetBytes' },
      );
    }
    const fs = await statfs(existsSync(dir) ? dir : '.').catch(() => undefined);
    const free = fs ? fs.bavail * fs.bsize : Number.POSITIVE_INFINITY;
    if (bytes > free) {
      throw new BudgetError(`writing ~${human(bytes)} needs more than the ${human(free)} free on the disk`, {
        file: dir,
      });
    }
  }

  private async writeShards(
    folder: string,
    backbone: Backbone,
    sequences: SequenceData,
    taps: number[],
    stored: number[],
    perShard: number,
  ): Promise<FeatureManifest['shards']> {
    const [total, length] = sequences.inputIds.shape as [number, number];
    const hidden = backbone.info.hiddenSize;
    const layers = backbone.info.numLayers;
    const batchSize = this.options.batchSize ?? 8;
    const progress = createProgress({ label: 'features', total, unit: 'seq', silent: this.options.quiet });
    const shards: FeatureManifest['shards'] = [];
    try {
      for (let start = 0; start < total; start += perShard) {
        const count = Math.min(perShard, total - start);
        const buffers = stored.map(() => new Float32Array(count * length * hidden));
        const mask = new Float32Array(count * length);
        const rows = Array.from({ length: count }, (_, i) => start + i);
        let b = 0;
        for (const { output: out } of forwardInBatches(backbone, sequences, { taps, batchSize, rows, progress })) {
          const n = out.last.shape[0];
          stored.forEach((k, s) => {
            const state = k === layers ? out.last : out.hiddenStates[k]!;
            buffers[s]!.set(state.dataSync(), b * length * hidden);
          });
          mask.set(out.mask.dataSync(), b * length);
          disposeBackboneOutput(out);
          b += n;
        }
        const file = `shard-${String(shards.length).padStart(5, '0')}.safetensors`;
        const tensors = new Map<string, RawTensor>(
          stored.map((k, s) => [
            `hidden_states.${k}`,
            { dtype: 'F32', shape: [count, length, hidden], data: buffers[s]! },
          ]),
        );
        tensors.set('attention_mask', { dtype: 'F32', shape: [count, length], data: mask });
        await saveSafetensors(join(folder, file), tensors);
        shards.push({ file, sequences: count });
      }
    } finally {
      progress.stop();
    }
    return shards;
  }
}

/** A cached dataset: its manifest and its shards, read one at a time. */
export class CachedFeatures {
  private constructor(
    readonly dir: string,
    readonly manifest: FeatureManifest,
    /** true when the features were already cached (nothing was computed) */
    readonly hit: boolean,
  ) {}

  static async open(dir: string, key: string, hit: boolean): Promise<CachedFeatures> {
    const file = join(dir, 'manifest.json');
    const manifest = (await readJsonFile(file)) as FeatureManifest;
    if (manifest?.format !== 'kadapter-features' || manifest.key !== key || !Array.isArray(manifest.shards)) {
      throw new FormatError(`not a feature-cache manifest for key ${key}`, { file, field: 'key' });
    }
    return new CachedFeatures(dir, manifest, hit);
  }

  get key(): string {
    return this.manifest.key;
  }

  get shardCount(): number {
    return this.manifest.shards.length;
  }

  /**
   * Shard `i` as a backbone output: `hiddenStates[k]` for the stored taps, `last`, and the mask.
   * The caller disposes the tensors.
   */
  async readShard(i: number): Promise<BackboneOutput> {
    const shard = this.manifest.shards[i];
    if (!shard) throw new FormatError(`no shard ${i} (${this.shardCount} shards)`, { file: this.dir, field: 'shards' });
    const file = join(this.dir, shard.file);
    const tensors = await loadSafetensors(file);
    const hiddenStates: Array<tf.Tensor3D | undefined> = new Array(this.manifest.numLayers + 1).fill(undefined);
    for (const k of this.manifest.parts.taps) hiddenStates[k] = tensors.get(`hidden_states.${k}`) as tf.Tensor3D;
    const last = tensors.get(`hidden_states.${this.manifest.numLayers}`) as tf.Tensor3D | undefined;
    const mask = tensors.get('attention_mask') as tf.Tensor2D | undefined;
    if (!last || !mask || hiddenStates.some((h, k) => h === undefined && this.manifest.parts.taps.includes(k))) {
      tf.dispose([...tensors.values()]);
      throw new FormatError('shard lacks a tensor its manifest lists', { file });
    }
    return { hiddenStates, last, mask };
  }
}

/** Sequences per shard (so a shard stays near `shardBytes`) and the estimated total size. */
function planShards(sequences: number, length: number, hidden: number, states: number, shardBytes = 256 * 2 ** 20) {
  const perSequence = (states * hidden + 1) * length * 4;
  const sequencesPerShard = Math.max(1, Math.floor(shardBytes / perSequence));
  const shardCount = Math.ceil(sequences / sequencesPerShard);
  const headerBytes = 512;
  return { sequencesPerShard, totalBytes: sequences * perSequence + shardCount * headerBytes + 4096 };
}

async function folderBytes(dir: string): Promise<number> {
  if (!existsSync(dir)) return 0;
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += (await stat(join(entry.parentPath ?? entry.path, entry.name))).size;
  }
  return total;
}

/** Bytes in KiB, MiB or GiB with one decimal. */
function human(bytes: number): string {
  const [unit, scale] = bytes < 2 ** 20 ? ['KiB', 2 ** 10] : bytes < 2 ** 30 ? ['MiB', 2 ** 20] : ['GiB', 2 ** 30];
  return `${(bytes / (scale as number)).toFixed(1)} ${unit}`;
}
