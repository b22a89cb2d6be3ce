import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type BackboneInfo, CONTRACT_VERSION } from '@kadapter/core';
import type { NamedTensors, ParamSetOptions } from '@kadapter/nn';
import { readJsonFile, type WriteDirectoryOptions, writeDirectoryAtomic } from '@kadapter/files';
import { readAllTensors, SafetensorsFile, saveSafetensors } from '@kadapter/io';
import type * as tf from '@tensorflow/tfjs';
import { type CompatibilityOptions, checkBackbone, type BackboneRef } from './backbone-ref.js';
import { adapterCard } from './card.js';
import { validateAdapterConfig } from './config.js';
import {
  ADAPTER_CARD_FILE,
  ADAPTER_CONFIG_FILE,
  ADAPTER_SCHEMA_VERSION,
  ADAPTER_WEIGHTS_FILE,
  type AdapterMeta,
  adapterMetaSchema,
  PRETRAINING_HEAD_FILE,
  type PretrainingInfo,
} from './meta.js';
import { KAdapterStack } from './stack.js';

export interface SaveAdapterOptions extends Pick<WriteDirectoryOptions, 'overwrite'> {
  /** the backbone the adapter was trained on */
  backbone: BackboneRef;
  /** pre-training task and labels; `headWeights` is set from `pretrainingHead` */
  pretraining?: Omit<PretrainingInfo, 'headWeights'>;
  /** the pre-training head's tensors under their official names, kept beside the adapter */
  pretrainingHead?: ReadonlyMap<string, tf.Tensor>;
  provenance?: Record<string, string>;
}

/**
 * Saves an adapter directory: `adapter_config.json` (schema version, backbone, taps, sizes,
 * pre-training task and labels), `adapter.safetensors` (official names), optionally
 * `pretraining_head.safetensors`, and a generated `README.md` card. The directory appears
 * complete or not at all.
 */
export async function saveAdapter(
  dir: string,
  stack: KAdapterStack,
  options: SaveAdapterOptions,
): Promise<AdapterMeta> {
  const meta: AdapterMeta = {
    schemaVersion: ADAPTER_SCHEMA_VERSION,
    architecture: 'k-adapter',
    contractVersion: CONTRACT_VERSION,
    name: stack.name,
    backbone: options.backbone,
    adapter: stack.config,
    ...(options.pretraining
      ? { pretraining: { ...options.pretraining, headWeights: options.pretrainingHead !== undefined } }
      : {}),
    ...(options.provenance ? { provenance: options.provenance } : {}),
  };
  adapterMetaSchema.parse(meta);
  const weights = stack.weights();
  try {
    const count = [...weights.values()].reduce((s, t) => s + t.size, 0);
    await writeDirectoryAtomic(
      dir,
      async (tmp) => {
        await saveSafetensors(join(tmp, ADAPTER_WEIGHTS_FILE), weights, { metadata: { format: 'pt' } });
        if (options.pretrainingHead) {
          await saveSafetensors(join(tmp, PRETRAINING_HEAD_FILE), options.pretrainingHead, {
            metadata: { format: 'pt' },
          });
        }
        await writeFile(join(tmp, ADAPTER_CONFIG_FILE), `${JSON.stringify(meta, null, 2)}\n`);
        await writeFile(join(tmp, ADAPTER_CARD_FILE), adapterCard(meta, count));
      },
      options,
    );
  } finally {
    for (const t of weights.values()) t.dispose();
  }
  return meta;
}

export interface LoadAdapterOptions extends ParamSetOptions, CompatibilityOptions {
  /** the backbone it will run on: refused when it is not the one the adapter was trained on */
  backbone?: BackboneInfo;
}

export interface LoadedAdapter {
  stack: KAdapterStack;
  meta: AdapterMeta;
  dir: string;
}

/** Reads and validates `adapter_config.json` of an adapter directory. */
export async function readAdapterMeta(dir: string): Promise<AdapterMeta> {
  const file = join(dir, ADAPTER_CONFIG_FILE);
  const meta = await readJsonFile(file, adapterMetaSchema);
  validateAdapterConfig(meta.adapter, meta.backbone.numLayers, file);
  return meta;
}

/**
 * Loads an adapter directory. The config is validated; with `backbone`, the adapter must have been
 * trained on it (name, revision, hidden size, taps within its depth). Every tensor of
 * `adapter.safetensors` is checked by name and shape against the config before any data is read:
 * one error names every missing, extra and misshaped tensor.
 */
export async function loadAdapter(dir: string, options: LoadAdapterOptions = {}): Promise<LoadedAdapter> {
  const meta = await readAdapterMeta(dir);
  if (options.backbone) checkBackbone(meta.backbone, meta.adapter.taps, options.backbone, dir, options);
  const source = await SafetensorsFile.open(join(dir, ADAPTER_WEIGHTS_FILE));
  try {
    const stack = await KAdapterStack.read(meta.name, meta.adapter, meta.backbone.hiddenSize, source, options);
    return { stack, meta, dir };
  } finally {
    await source.close();
  }
}

/** The pre-training head tensors kept in an adapter directory (official names), if any. */
export async function loadPretrainingHeadWeights(dir: string): Promise<NamedTensors | undefined> {
  const meta = await readAdapterMeta(dir);
  if (!meta.pretraining?.headWeights) return undefined;
  const source = await SafetensorsFile.open(join(dir, PRETRAINING_HEAD_FILE));
  try {
    return await readAllTensors(source);
  } finally {
    await source.close();
  }
}
