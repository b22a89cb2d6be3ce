import { join } from 'node:path';
import {
  backboneRef,
  KAdapterStack,
  loadAdapter,
  loadPretrainingHeadWeights,
  readAdapterMeta,
  resolveAdapterConfig,
  saveAdapter,
} from '@kadapter/adapter';
import { loadBackbone, readBackboneInfo } from '@kadapter/backbone';
import {
  type AdapterConfig,
  ConfigError,
  CONTRACT_VERSION,
  type EncoderOptions,
  type KnowledgeAdapterModule,
} from '@kadapter/core';
import { hashFile } from '@kadapter/files';
import { createHead, headFromWeights, headKind, type HeadModule } from '@kadapter/heads';
import { resolveModelSource } from '@kadapter/io';
import { activeBackend } from '@kadapter/nn/runtime';
import type { ProgressOptions } from '@kadapter/progress';
import { loadTokenizer } from '@kadapter/tokenizer';
import {
  type BestResult,
  type StepReport,
  POLICIES,
  RunDir,
  scheduleLength,
  TaskModel,
  type TrainSettings,
  trainInRun,
} from '@kadapter/train';
import * as tf from '@tensorflow/tfjs';
import { checkClassIds } from './class-ids.js';
import { type EncodedData, encodeData, fingerprintFiles, selectRows } from './data.js';
import { heldOutSplit } from './split.js';

/** How a pre-training run trains (defaults in `PRETRAIN_DEFAULTS`). */
export interface PretrainSettings {
  /** passes over the data (default: 3, or as many as `maxSteps` needs) */
  epochs?: number;
  maxSteps?: number;
  /** length of the warm-up/linear schedule in updates (default: the updates of all epochs) */
  totalSteps?: number;
  batchSize?: number;
  gradAccum?: number;
  lr?: number;
  warmupSteps?: number;
  warmupFraction?: number;
  maxGradNorm?: number;
  seed?: number;
  shuffle?: boolean;
  evalEvery?: number;
  checkpointEvery?: number;
}

export const PRETRAIN_DEFAULTS = {
  epochs: 3,
  batchSize: 16,
  gradAccum: 1,
  lr: 5e-5,
  maxGradNorm: 1,
  seed: 42,
  shuffle: true,
  heldOut: 0,
} as const;

export interface PretrainOptions {
  /** the knowledge: a validated knowledge-adapter module */
  module: KnowledgeAdapterModule;
  /** how the module was named (package name or path), recorded in run.json */
  moduleSource?: string;
  /** a model directory or a Hub id */
  backbone: string;
  backboneName?: string;
  /** data files in the task's format (default: the module's bundled sample) */
  data?: readonly string[];
  /** held-out files to evaluate on (default: the sample's dev files when the sample is used) */
  evalData?: readonly string[];
  /** fraction of `data` held out for evaluation (seeded) when there is no eval data (default 0: none) */
  heldOut?: number;
  /** L, the padded sequence length (default: the module's, else 64) */
  maxLength?: number;
  /** options for the task's encoder (e.g. `{ labels }` to use a data manifest's derived relations) */
  encoderOptions?: EncoderOptions;
  /** start from this adapter directory (and its pre-training head, whose shape fixes the class count) */
  init?: string;
  /** the adapter's name (default: the module's) */
  name?: string;
  /** adapter config overrides (e.g. `taps` for a backbone that is not 24 layers deep) */
  adapter?: Partial<AdapterConfig>;
  /** dropout of the adapter and the pre-training head (default: the module's adapter dropout) */
  dropout?: number;
  /** the run directory */
  out: string;
  /** continue the run in `out` from its last checkpoint (same settings required) */
  resume?: boolean;
  settings?: PretrainSettings;
  /** host-memory budget for the frozen backbone's outputs (see BackboneStates; default 2 GiB) */
  cacheBudgetBytes?: number;
  /** notices (one line each) */
  log?: (line: string) => void;
  progress?: Pick<ProgressOptions, 'silent' | 'stream'>;
  /** asked after every update; true checkpoints and stops (Ctrl-C) */
  shouldStop?: () => boolean;
  /** called after every update (e.g. to print a line) */
  onStep?: (report: StepReport) => void;
}

export interface PretrainResult {
  run: string;
  /** the trained adapter directory (`<run>/adapter`) */
  adapter: string;
  steps: number;
  /** stopped early (shouldStop); the run can be resumed */
  interrupted: boolean;
  examples: { train: number; eval: number };
  skipped: Record<string, number>;
  metrics?: Record<string, number>;
  best?: BestResult;
  /** training sequences the backbone computed, and those read from its output cache */
  backbone: { computed: number; cached: number };
  seconds: number;
}

/**
 * Pre-trains a knowledge adapter: the module's task (encoder, head, inputs, metrics) on the data,
 * beside the frozen backbone (the official pre-training: adapter + head trained, clipped together,
 * scheduler stepped before the optimizer). Writes the run directory `out` — `run.json`,
 * `metrics.jsonl`, `checkpoints/`, and at the end `adapter/` (an adapter directory with its
 * pre-training head). Everything random comes from `settings.seed`; a killed run resumes exactly.
 */
export async function pretrain(o: PretrainOptions): Promise<PretrainResult> {
  const started = performance.now();
  const log = o.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const m = o.module;
  const task = m.pretraining;
  const maxLength = o.maxLength ?? m.maxLength ?? 64;
  const { data, evalData } = dataFiles(o);
  const heldOut = evalData.length > 0 ? 0 : (o.heldOut ?? PRETRAIN_DEFAULTS.heldOut);
  const s = { ...PRETRAIN_DEFAULTS, ...definedOnly(o.settings ?? {}) };

  // Identify everything the result depends on, then claim the run directory, before any heavy work.
  const source = await resolveModelSource(o.backbone);
  const info = await readBackboneInfo(source.dir, o.backboneName === undefined ? {} : { name: o.backboneName });
  const initMeta = o.init === undefined ? undefined : await readAdapterMeta(o.init);
  const settings = {
    module: { name: m.name, contractVersion: m.contractVersion, task: task.name },
    backbone: info.contentHash ?? info.revision ?? info.name,
    data: await fingerprintFiles(data),
    evalData: await fingerprintFiles(evalData),
    heldOut,
    maxLength,
    encoderOptions: o.encoderOptions ?? {},
    init: o.init === undefined ? null : (await hashFile(join(o.init, 'adapter.safetensors'))).sha256,
    name: o.name ?? initMeta?.name ?? m.name,
    adapter: o.adapter ?? {},
    dropout: o.dropout ?? null,
    train: s,
  };
  const run = await RunDir.open(
    o.out,
    {
      kind: 'pretrain',
      settings,
      context: {
        moduleSource: o.moduleSource ?? m.name,
        backbone: { source: o.backbone, name: info.name, ...(info.hubId ? { hubId: info.hubId } : {}) },
        contract: CONTRACT_VERSION,
        backend: activeBackend()?.choice ?? tf.getBackend(),
      },
    },
    { resume: o.resume === true },
  );

  const tokenizer = await loadTokenizer(source.dir);
  const encoded = await encodeData(task.encoder, data, tokenizer, maxLength, o.encoderOptions);
  const { train: trainData, eval: evalEncoded } =
    evalData.length > 0
      ? { train: encoded, eval: await encodeData(task.encoder, evalData, tokenizer, maxLength, o.encoderOptions) }
      : splitHeldOut(encoded, heldOut, s.seed);

  const backbone = await loadBackbone(source.dir, o.backboneName === undefined ? {} : { name: o.backboneName });
  const owned: Array<{ dispose(): void }> = [backbone];
  try {
    const { stack, head } = await buildAdapterAndHead(o, m, backbone.info, maxLength, encoded.labels, s.seed);
    owned.push(stack, head);
    checkClassIds(head, task.inputs.labels, trainData, evalEncoded);
    const parts = { backbone, adapters: new Map([[stack.name, stack]]), head };
    const modelOptions = {
      ...(o.cacheBudgetBytes === undefined ? {} : { cacheBudgetBytes: o.cacheBudgetBytes }),
      notice: log,
    };
    const model = new TaskModel(task, parts, trainData.columns, { ...modelOptions, source: data.join(', ') });
    const dev = evalEncoded
      ? new TaskModel(task, parts, evalEncoded.columns, { ...modelOptions, cacheBudgetBytes: 0, source: 'eval data' })
      : undefined;
    const perEpoch = scheduleLength(model.examples, { ...s, epochs: 1 });
    const epochs = o.settings?.epochs ?? (s.maxSteps === undefined ? s.epochs : Math.ceil(s.maxSteps / perEpoch));
    const trainSettings: TrainSettings = { ...s, epochs, schedulerFirst: true };

    const result = await trainInRun(run, model, POLICIES.pretraining, trainSettings, {
      label: 'pretrain',
      resume: o.resume === true,
      log,
      ...(dev ? { dev } : {}),
      ...(o.progress ? { progress: o.progress } : {}),
      ...(o.onStep ? { onStep: o.onStep } : {}),
      ...(o.shouldStop ? { shouldStop: o.shouldStop } : {}),
    });

    const adapterDir = join(o.out, 'adapter');
    if (!result.interrupted) {
      const headWeights = head.weights();
      try {
        await saveAdapter(adapterDir, stack, {
          backbone: backboneRef(backbone.info),
          pretraining: {
            task: task.name,
            description: task.description,
            ...(head.labels ? { labels: [...head.labels] } : { numLabels: numClasses(head) }),
          },
          pretrainingHead: headWeights,
          provenance: { module: `${m.name} (${o.moduleSource ?? m.name})`, run: 'run.json of the run directory' },
          overwrite: true,
        });
      } finally {
        tf.dispose([...headWeights.values()]);
      }
    }
    return {
      run: o.out,
      adapter: adapterDir,
      steps: result.steps,
      interrupted: result.interrupted,
      examples: { train: model.examples, eval: dev?.examples ?? 0 },
      skipped: encoded.skipped,
      ...(result.lastMetrics ? { metrics: result.lastMetrics } : {}),
      ...(result.best ? { best: result.best } : {}),
      backbone: { ...model.backboneCounts },
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    for (const part of owned) part.dispose();
  }
}

/** The data and eval files: given, or the module's bundled sample. */
function dataFiles(o: PretrainOptions): { data: readonly string[]; evalData: readonly string[] } {
  if (o.data && o.data.length > 0) return { data: o.data, evalData: o.evalData ?? [] };
  const sample = o.module.sample;
  if (!sample) {
    throw new ConfigError(`knowledge module '${o.module.name}' ships no sample: give the data files (--data)`, {
      field: 'data',
    });
  }
  return { data: sample.train, evalData: o.evalData ?? sample.dev ?? [] };
}

function splitHeldOut(data: EncodedData, fraction: number, seed: number): { train: EncodedData; eval?: EncodedData } {
  const n = data.origin.length;
  const { train, held } = heldOutSplit(n, fraction, seed);
  if (held.length === 0) return { train: data };
  return { train: selectRows(data, train), eval: selectRows(data, held) };
}

/** The adapter stack and pre-training head: fresh (seeded), or from `--init` (its head fixes the class count). */
async function buildAdapterAndHead(
  o: PretrainOptions,
  m: KnowledgeAdapterModule,
  info: Awaited<ReturnType<typeof readBackboneInfo>>,
  maxLength: number,
  encoderLabels: readonly string[] | undefined,
  seed: number,
): Promise<{ stack: KAdapterStack; head: HeadModule }> {
  const hiddenSize = info.hiddenSize;
  if (o.init !== undefined) {
    const loaded = await loadAdapter(o.init, { backbone: info });
    const meta = loaded.meta;
    const stack = o.dropout === undefined ? loaded.stack : rebuildWithDropout(loaded.stack, o.dropout);
    const headWeights = await loadPretrainingHeadWeights(o.init);
    if (!headWeights) {
      stack.dispose();
      throw new ConfigError(
        `adapter directory has no pre-training head to continue from (pretraining_head.safetensors)`,
        {
          file: o.init,
        },
      );
    }
    try {
      const classes = meta.pretraining?.labels ?? encoderLabels?.slice(0, meta.pretraining?.numLabels);
      const config = m.pretraining.head({ hiddenSize, maxLength, ...(classes ? { labels: classes } : {}) });
      const withDropout = o.dropout === undefined ? config : { ...config, dropout: o.dropout };
      const head = headFromWeights(
        headKind(config.kind),
        withDropout,
        headWeights,
        join(o.init, 'pretraining_head.safetensors'),
      );
      return { stack, head };
    } catch (err) {
      stack.dispose();
      throw err;
    } finally {
      tf.dispose([...headWeights.values()]);
    }
  }
  const adapterConfig = resolveAdapterConfig(
    { ...m.adapter, ...o.adapter, ...(o.dropout === undefined ? {} : { dropout: o.dropout }) },
    info.numLayers,
    `knowledge module '${m.name}' adapter defaults`,
  );
  const name = o.name ?? m.name;
  const stack = KAdapterStack.create(name, adapterConfig, hiddenSize, { seed: `${seed}/adapter` });
  const config = m.pretraining.head({ hiddenSize, maxLength, ...(encoderLabels ? { labels: encoderLabels } : {}) });
  const withDropout = o.dropout === undefined ? config : { ...config, dropout: o.dropout };
  try {
    return { stack, head: createHead(headKind(config.kind), withDropout, { seed: `${seed}/head` }) };
  } catch (err) {
    stack.dispose();
    throw err;
  }
}

/** The same adapter with another dropout rate (weights copied). */
function rebuildWithDropout(stack: KAdapterStack, dropout: number): KAdapterStack {
  const weights = stack.weights();
  try {
    return KAdapterStack.fromWeights(
      stack.name,
      { ...stack.config, dropout },
      stack.hiddenSize,
      weights,
      'init adapter',
    );
  } finally {
    tf.dispose([...weights.values()]);
    stack.dispose();
  }
}

function numClasses(head: HeadModule): number {
  const out = head.weights();
  try {
    return (out.get('out_proj.weight')?.shape[0] as number | undefined) ?? 0;
  } finally {
    tf.dispose([...out.values()]);
  }
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
