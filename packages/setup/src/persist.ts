import { existsSync, statSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import {
  backboneRef,
  compareBackbone,
  type KAdapterStack,
  type LoadedAdapter,
  loadAdapter,
  saveAdapter,
  stderrNotice,
} from '@kadapter/adapter';
import { loadBackbone } from '@kadapter/backbone';
import { type BackboneInfo, ConfigError, CONTRACT_VERSION, NotFoundError } from '@kadapter/core';
import type { Backbone } from '@kadapter/nn';
import { readJsonFile, type WriteDirectoryOptions, writeDirectoryAtomic } from '@kadapter/files';
import { fusionFromWeights, fusionKind } from '@kadapter/fusion';
import { type HeadModule, headFromWeights, headKind } from '@kadapter/heads';
import { type HubClientOptions, isHubRepoId, loadSafetensors, saveSafetensors } from '@kadapter/io';
import type * as tf from '@tensorflow/tfjs';
import { SETUP_FILE, SETUP_SCHEMA_VERSION, type SetupMeta, setupMetaSchema } from './meta.js';
import { KAdapterSetup } from './setup.js';

const SAFE_NAME = /^[A-Za-z0-9_-]+$/;

export interface SaveSetupOptions extends Pick<WriteDirectoryOptions, 'overwrite'> {
  /**
   * Where the backbone is loaded from when the setup is reloaded (its weights are not copied): a
   * model directory (as any path: relative to the working directory), recorded relative to the
   * setup directory so that the two can move together; or a Hub id, recorded with the commit the
   * backbone was loaded at. Default: the backbone's Hub id when it came from the Hub.
   */
  backboneSource?: string;
}

/**
 * Saves a composition as one directory: `setup.json` (backbone reference, adapter dirs, fusion and
 * head configs), `adapters/<name>/` (adapter directories), `fusion.safetensors`,
 * `heads/<name>.safetensors`. The directory appears complete or not at all. The backbone is
 * recorded by its architecture and content hash (what reloading checks) and where to find it.
 */
export async function saveSetup(dir: string, setup: KAdapterSetup, options: SaveSetupOptions = {}): Promise<SetupMeta> {
  for (const name of [...setup.adapters.keys(), ...setup.heads.keys()]) {
    if (!SAFE_NAME.test(name)) {
      throw new ConfigError(`name '${name}' must use letters, digits, '_' and '-' only (it becomes a file name)`, {
        file: dir,
      });
    }
  }
  const info = setup.backbone.info;
  const positionIds = setup.backbone.positionIdMode;
  const source = recordedSource(dir, info, options.backboneSource); // may throw: before any tensor is made
  const fusionWeights = setup.fusion.weights();
  const meta: SetupMeta = {
    schemaVersion: SETUP_SCHEMA_VERSION,
    contractVersion: CONTRACT_VERSION,
    backbone: {
      ...source,
      ...backboneRef(info),
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

/** `source` (and the Hub id) of setup.json: see SaveSetupOptions.backboneSource. */
function recordedSource(
  dir: string,
  info: BackboneInfo,
  given: string | undefined,
): { source: string; hubId?: string } {
  if (given !== undefined && existsSync(given) && statSync(given).isDirectory()) {
    return { source: relative(resolve(dir), resolve(given)) || '.' };
  }
  const hubId = given ?? info.hubId;
  if (hubId !== undefined && isHubRepoId(hubId)) return { source: hubId, hubId };
  throw new ConfigError(
    given === undefined
      ? 'backboneSource is needed: the backbone did not come from the Hub, so say which model directory it was loaded from'
      : `backboneSource '${given}' is neither a model directory nor a Hub id (owner/name)`,
    { file: dir, field: 'backboneSource' },
  );
}

export interface LoadSetupOptions {
  /** an already loaded backbone (else it is loaded from the recorded source); owned by the setup afterwards */
  backbone?: Backbone;
  /** make adapters, fusion and heads trainable (default false: frozen, for inference) */
  trainable?: boolean;
  /** no notice when only the backbone's name differs from the recorded one (names never refuse) */
  allowOtherName?: boolean;
  /** for a backbone recorded by Hub id: cache directory, endpoint, offline mode (defaults from HF_* variables) */
  hub?: HubClientOptions;
  /** where a one-line notice goes (default: stderr) */
  log?: (line: string) => void;
}

/**
 * Loads a setup directory. An incomplete setup (no backbone, adapters, fusion or heads in
 * setup.json, or a file it names missing) is refused naming the missing part. The backbone is
 * `options.backbone`, else loaded from the recorded directory (relative to the setup), else by
 * its recorded Hub id and commit through the Hugging Face cache. A backbone other than the
 * recorded one (architecture, weights' content hash, position ids) is refused saying what
 * differs; a name alone is at most a notice.
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

  const backbone = options.backbone ?? (await loadRecordedBackbone(dir, meta, file, options.hub));
  // on failure, dispose what was loaded here (a backbone passed in stays the caller's)
  const loaded: Array<{ dispose(): void }> = options.backbone ? [] : [backbone];
  try {
    const log = options.log ?? stderrNotice;
    const noticed = checkRecordedBackbone(meta, backbone, file, options.allowOtherName ?? false, log);
    const trainable = options.trainable ?? false;
    const adapters = new Map<string, KAdapterStack>();
    const pretraining = new Map<string, NonNullable<LoadedAdapter['meta']['pretraining']>>();
    for (const [name, rel] of Object.entries(meta.adapters)) {
      const a = await loadAdapter(join(dir, rel), {
        backbone: backbone.info,
        trainable,
        ...(options.allowOtherName ? { allowOtherName: true } : {}),
        // the setup's own notice already said it: its adapters recorded the same backbone
        log: noticed ? () => {} : log,
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

async function loadRecordedBackbone(
  dir: string,
  meta: SetupMeta,
  file: string,
  hub: HubClientOptions | undefined,
): Promise<Backbone> {
  const b = meta.backbone;
  const positionIds = b.positionIds === undefined ? {} : { positionIds: b.positionIds };
  // the recorded name stays the backbone's label (the folder it is found in is incidental)
  if (b.hubId !== undefined) {
    const revision = b.revision === undefined || b.revision.startsWith('sha256:') ? {} : { revision: b.revision };
    return loadBackbone(b.hubId, { name: b.name, ...revision, ...positionIds, ...(hub ? { hub } : {}) });
  }
  const source = isAbsolute(b.source) ? b.source : resolve(dir, b.source);
  if (!existsSync(join(source, 'config.json'))) {
    throw new NotFoundError(
      `backbone source '${b.source}' (relative to the setup directory) is not a model directory here (no ${join(source, 'config.json')}); move the model with the setup, or pass the backbone to loadSetup`,
      { file, field: 'backbone.source' },
    );
  }
  return loadBackbone(source, { name: b.name, ...positionIds });
}

/** Refuses a backbone other than the recorded one; returns whether a notice was logged. */
function checkRecordedBackbone(
  meta: SetupMeta,
  backbone: Backbone,
  file: string,
  allowOtherName: boolean,
  log: (line: string) => void,
): boolean {
  const { differences, notice } = compareBackbone(meta.backbone, backbone.info, 'setup', {
    ignoreName: allowOtherName,
  });
  const mode = backbone.positionIdMode;
  const want = meta.backbone.positionIds;
  if (want !== undefined && mode !== undefined && want !== mode) {
    differences.push(`position ids: setup '${want}', backbone '${mode}'`);
  }
  if (differences.length > 0) {
    throw new ConfigError(`the backbone is not the one the setup was saved with: ${differences.join('; ')}`, {
      file,
      field: 'backbone',
    });
  }
  if (notice !== undefined) log(`setup ${file} was saved with ${notice}`);
  return notice !== undefined;
}
