import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import { backboneRef, type KAdapterStack, type LoadedAdapter, loadAdapter, saveAdapter } from '@kadapter/adapter';
import { loadBackbone } from '@kadapter/backbone';
import { ConfigError, CONTRACT_VERSION, NotFoundError } from '@kadapter/core';
import type { Backbone, PositionIdMode } from '@kadapter/nn';
import { readJsonFile, type WriteDirectoryOptions, writeDirectoryAtomic } from '@kadapter/files';
import { fusionFromWeights, fusionKind } from '@kadapter/fusion';
import { type HeadModule, headFromWeights, headKind } from '@kadapter/heads';
import { loadSafetensors, saveSafetensors } from '@kadapter/io';
import type * as tf from '@tensorflow/tfjs';
import { SETUP_FILE, SETUP_SCHEMA_VERSION, type SetupMeta, setupMetaSchema } from './meta.js';
import { KAdapterSetup } from './setup.js';

const SAFE_NAME = /^[A-Za-z0-9_-]+$/;

export interface SaveSetupOptions extends Pick<WriteDirectoryOptions, 'overwrite'> {
  /**
   * Where the backbone is loaded from when the setup is reloaded: a model directory (a relative
   * path is taken relative to the setup directory) or a hub id. Its weights are not copied.
   */
  backboneSource: string;
}

/**
 * Saves a composition as one directory: `setup.json` (backbone reference, adapter dirs, fusion and
 * head configs), `adapters/<name>/` (adapter directories), `fusion.safetensors`,
 * `heads/<name>.safetensors`. The directory appears complete or not at all.
 */
export async function saveSetup(dir: string, setup: KAdapterSetup, options: SaveSetupOptions): Promise<SetupMeta> {
  for (const name of [...setup.adapters.keys(), ...setup.heads.keys()]) {
    if (!SAFE_NAME.test(name)) {
      throw new ConfigError(`name '${name}' must use letters, digits, '_' and '-' only (it becomes a file name)`, {
        file: dir,
      });
    }
  }
  const info = setup.backbone.info;
  const positionIds = positionIdModeOf(setup.backbone);
  const fusionWeights = setup.fusion.weights();
  const meta: SetupMeta = {
    schemaVersion: SETUP_SCHEMA_VERSION,
    contractVersion: CONTRACT_VERSION,
    backbone: {
      source: options.backboneSource,
      name: info.name,
      ...(info.revision === undefined ? {} : { revision: info.revision }),
      hiddenSize: info.hiddenSize,
      numLayers: info.numLayers,
      ...(positionIds === undefined ? {} : { positionIds }),
    },
    adapters: Object.fromEntries([...setup.adapters.keys()].map((n) => [n, `adapters/${n}`])),
    fusion: { config: setup.fusion.config, ...(fusionWeights.size > 0 ? { weights: 'fusion.safetensors' } : {}) },
    heads: Object.fromEntries(
      [...setup.heads].map(([n, h]) => [n, { config: h.config, weights: `heads/${n}.safetensors` }]),
    ),
  };
  try {
    await writeDirectoryAtomic(
      dir,
      async (tmp) => {
        for (const [name, stack] of setup.adapters) {
          const pretraining = setup.pretraining.get(name);
          await saveAdapter(join(tmp, 'adapters', name), stack, {
            backbone: backboneRef(info),
            ...(pretraining ? { pretraining } : {}),
          });
        }
        if (meta.fusion.weights) await saveSafetensors(join(tmp, meta.fusion.weights), fusionWeights);
        await mkdir(join(tmp, 'heads'));
        for (const [name, head] of setup.heads) {
          const w = head.weights();
          try {
            await saveSafetensors(join(tmp, meta.heads[name]?.weights as string), w);
          } finally {
            for (const t of w.values()) t.dispose();
          }
        }
        await writeFile(join(tmp, SETUP_FILE), `${JSON.stringify(meta, null, 2)}\n`);
      },
      options,
    );
  } finally {
    for (const t of fusionWeights.values()) t.dispose();
  }
  return meta;
}

export interface LoadSetupOptions {
  /** an already loaded backbone (else it is loaded from the recorded source); owned by the setup afterwards */
  backbone?: Backbone;
  /** make adapters, fusion and heads trainable (default false: frozen, for inference) */
  trainable?: boolean;
  /** accept a backbone with another name than the recorded one */
  allowOtherName?: boolean;
}

/**
 * Loads a setup directory. An incomplete setup (no backbone, adapters, fusion or heads in
 * setup.json, or a file it names missing) is refused naming the missing part; a backbone other
 * than the recorded one (name, revision, position ids, hidden size, depth) is refused saying what differs.
 */
export async function loadSetup(dir: string, options: LoadSetupOptions = {}): Promise<KAdapterSetup> {
  const file = join(dir, SETUP_FILE);
  const meta = await readJsonFile(file, setupMetaSchema);
  const requireFile = (rel: string, part: string) => {
    const p = join(dir, rel);
    if (!existsSync(p)) {
      throw new NotFoundError(`the setup is incomplete: ${part} (${rel}) is missing`, { file, field: part });
    }
    return p;
  };
  for (const [name, rel] of Object.entries(meta.adapters))
    requireFile(join(rel, 'adapter_config.json'), `adapters.${name}`);
  const fusionFile = meta.fusion.weights === undefined ? undefined : requireFile(meta.fusion.weights, 'fusion');
  for (const [name, h] of Object.entries(meta.heads)) requireFile(h.weights, `heads.${name}`);

  const backbone = options.backbone ?? (await loadRecordedBackbone(dir, meta, file));
  // on failure, dispose what was loaded here (a backbone passed in stays the caller's)
  const loaded: Array<{ dispose(): void }> = options.backbone ? [] : [backbone];
  try {
    checkRecordedBackbone(meta, backbone, file, options.allowOtherName ?? false);
    const trainable = options.trainable ?? false;
    const adapters = new Map<string, KAdapterStack>();
    const pretraining = new Map<string, NonNullable<LoadedAdapter['meta']['pretraining']>>();
    for (const [name, rel] of Object.entries(meta.adapters)) {
      const a = await loadAdapter(join(dir, rel), {
        backbone: backbone.info,
        trainable,
        ...(options.allowOtherName ? { allowOtherName: true } : {}),
      });
      loaded.push(a.stack);
      if (a.stack.name !== name) {
        throw new ConfigError(
          `adapter directory ${rel} holds adapter '${a.stack.name}', setup.json calls it '${name}'`,
          {
            file,
            field: `adapters.${name}`,
          },
        );
      }
      adapters.set(name, a.stack);
      if (a.meta.pretraining) pretraining.set(name, a.meta.pretraining);
    }
    const fusion = await withWeights(fusionFile, (w) =>
      fusionFromWeights(fusionKind(meta.fusion.config.kind), meta.fusion.config, w, fusionFile ?? `${file} (fusion)`, {
        trainable,
      }),
    );
    loaded.push(fusion);
    const heads = new Map<string, HeadModule>();
    for (const [name, h] of Object.entries(meta.heads)) {
      const path = join(dir, h.weights);
      const head = await withWeights(path, (w) =>
        headFromWeights(headKind(h.config.kind), h.config, w, path, { trainable }),
      );
      loaded.push(head);
      heads.set(name, head);
    }
    return new KAdapterSetup({ backbone, adapters, fusion, heads, pretraining });
  } catch (err) {
    for (const part of loaded) part.dispose();
    throw err;
  }
}

async function withWeights<T>(path: string | undefined, build: (w: Map<string, tf.Tensor>) => T): Promise<T> {
  const w = path === undefined ? new Map<string, tf.Tensor>() : await loadSafetensors(path);
  try {
    return build(w);
  } finally {
    for (const t of w.values()) t.dispose();
  }
}

async function loadRecordedBackbone(dir: string, meta: SetupMeta, file: string): Promise<Backbone> {
  const source = isAbsolute(meta.backbone.source) ? meta.backbone.source : resolve(dir, meta.backbone.source);
  if (!existsSync(join(source, 'config.json'))) {
    throw new NotFoundError(
      `backbone source '${meta.backbone.source}' is not a model directory here (no ${join(source, 'config.json')})`,
      {
        file,
        field: 'backbone.source',
      },
    );
  }
  const positionIds = meta.backbone.positionIds;
  // The recorded name is the backbone's identity (the source directory's name is incidental); the
  // content revision is still compared after loading.
  return loadBackbone(source, { name: meta.backbone.name, ...(positionIds === undefined ? {} : { positionIds }) });
}

function checkRecordedBackbone(meta: SetupMeta, backbone: Backbone, file: string, allowOtherName: boolean): void {
  const want = meta.backbone;
  const got = backbone.info;
  const diffs: string[] = [];
  if (!allowOtherName && want.name !== got.name) diffs.push(`name: setup '${want.name}', backbone '${got.name}'`);
  if (want.revision !== undefined && got.revision !== undefined && want.revision !== got.revision) {
    diffs.push(`revision: setup '${want.revision}', backbone '${got.revision}'`);
  }
  const mode = positionIdModeOf(backbone);
  if (want.positionIds !== undefined && mode !== undefined && want.positionIds !== mode) {
    diffs.push(`position ids: setup '${want.positionIds}', backbone '${mode}'`);
  }
  if (want.hiddenSize !== got.hiddenSize)
    diffs.push(`hidden size: setup ${want.hiddenSize}, backbone ${got.hiddenSize}`);
  if (want.numLayers !== got.numLayers) diffs.push(`layers: setup ${want.numLayers}, backbone ${got.numLayers}`);
  if (diffs.length > 0) {
    throw new ConfigError(`the backbone is not the one the setup was saved with: ${diffs.join('; ')}`, {
      file,
      field: 'backbone',
    });
  }
}

/** The RoBERTa position numbering of a backbone. */
function positionIdModeOf(backbone: Backbone): PositionIdMode {
  return backbone.positionIdMode;
}
