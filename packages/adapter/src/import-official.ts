import { basename } from 'node:path';
import { type BackboneInfo, ConfigError } from '@kadapter/core';
import { facPretraining, linPretraining } from '@kadapter/heads';
import { verifyWeights, type WeightSpec, weightSpec } from '@kadapter/nn';
import { hashFile } from '@kadapter/files';
import { detectWeightsFormat, openWeights, readAllTensors, type WeightsFormat } from '@kadapter/io';
import type * as tf from '@tensorflow/tfjs';
import { saveAdapter } from './artifact.js';
import { backboneRef } from './backbone-ref.js';
import { resolveAdapterConfig } from './config.js';
import type { AdapterMeta } from './meta.js';
import { KAdapterStack } from './stack.js';
import { adapterWeightSpec, inferAdapterSizes } from './weights.js';

/** The official pre-training tasks, recognised by their head tensors (kadapter-spec.md §6). */
export const OFFICIAL_TASKS = {
  fac: 'factual knowledge: T-REx relation classification (official fac-adapter.py)',
  lin: 'linguistic knowledge: dependency head prediction (official lin-adapter.py)',
} as const;

export type OfficialTask = keyof typeof OFFICIAL_TASKS;

export interface ImportOfficialOptions {
  /** the backbone the adapter was trained on (its hidden size and depth are checked) */
  backbone: BackboneInfo;
  /** hidden-state indices the adapter layers read; checkpoints do not record them (0,11,22 for the released ones) */
  taps: number[];
  /** attention heads of the inner layers; shapes cannot tell (official default 12) */
  heads?: number;
  /** adapter name (default: the detected task, "fac" or "lin") */
  name?: string;
  /** names of the pre-training classes (e.g. the 410 T-REx relations), checked against the head's size */
  labels?: string[];
  /** label names to record when `labels` is not given, from the detected task and its class count */
  defaultLabels?: (task: OfficialTask, numLabels: number) => string[] | undefined;
  /** replace an existing output directory */
  overwrite?: boolean;
}

export interface ImportResult {
  meta: AdapterMeta;
  /** number of `adapter.*` tensors imported (108 for the released 3×2-layer adapters) */
  adapterTensors: number;
  /** number of pre-training head tensors kept */
  headTensors: number;
  /** what the checkpoint file was */
  format: WeightsFormat;
}

/**
 * Converts an official fac/lin adapter checkpoint (`pytorch_model.bin`, zip or legacy pickle; a
 * safetensors copy works too) into an adapter directory. Sizes come from the tensor shapes; taps
 * and heads from the options. Every `adapter.*` tensor the sizes imply must be there with its
 * shape (the official loader silently keeps random weights for missing ones); the pre-training
 * head tensors are verified too and kept in the directory.
 */
export async function importOfficialAdapter(
  checkpoint: string,
  out: string,
  options: ImportOfficialOptions,
): Promise<ImportResult> {
  const format = await detectWeightsFormat(checkpoint);
  const source = await openWeights(checkpoint);
  let named: Map<string, tf.Tensor>;
  let config: ReturnType<typeof resolveAdapterConfig>;
  let task: OfficialTask;
  let numLabels: number;
  let labels: string[] | undefined;
  try {
    const adapterEntries = new Map([...source.entries].filter(([n]) => n.startsWith('adapter.')));
    const headEntries = new Map([...source.entries].filter(([n]) => !n.startsWith('adapter.')));
    const sizes = inferAdapterSizes(adapterEntries, checkpoint);
    const fail = (field: string, message: string): never => {
      throw new ConfigError(message, { file: checkpoint, field });
    };
    if (sizes.hiddenSize !== options.backbone.hiddenSize) {
      fail(
        'backbone',
        `the checkpoint's adapters project from/to width ${sizes.hiddenSize}, the backbone '${options.backbone.name}' has hidden size ${options.backbone.hiddenSize}`,
      );
    }
    if (sizes.count !== options.taps.length) {
      fail(
        'taps',
        `the checkpoint has ${sizes.count} adapter layers but ${options.taps.length} taps were given (${options.taps.join(',')})`,
      );
    }
    config = resolveAdapterConfig(
      {
        taps: options.taps,
        adapterSize: sizes.adapterSize,
        layers: sizes.layers,
        heads: options.heads ?? 12,
        intermediateSize: sizes.intermediateSize,
      },
      options.backbone.numLayers,
      checkpoint,
    );
    verifyWeights(adapterEntries, adapterWeightSpec(config, sizes.hiddenSize), checkpoint);
    task = headEntries.has('self_attention.self.query.weight') ? 'lin' : 'fac';
    numLabels = (headEntries.get('out_proj.weight')?.shape[0] as number | undefined) ?? 0;
    if (headEntries.size > 0)
      verifyWeights(headEntries, pretrainingHeadSpec(task, sizes.hiddenSize, numLabels), checkpoint);
    labels = options.labels ?? options.defaultLabels?.(task, numLabels);
    if (labels && labels.length !== numLabels) {
      fail('labels', `${labels.length} labels were given, the pre-training head has ${numLabels} classes`);
    }
    named = await readAllTensors(source);
  } finally {
    await source.close();
  }
  const name = options.name ?? task;
  const adapterNamed = new Map([...named].filter(([n]) => n.startsWith('adapter.')));
  const headNamed = new Map([...named].filter(([n]) => !n.startsWith('adapter.')));
  const stack = KAdapterStack.fromWeights(name, config, options.backbone.hiddenSize, adapterNamed, checkpoint, {
    trainable: false,
  });
  try {
    const meta = await saveAdapter(out, stack, {
      backbone: backboneRef(options.backbone),
      ...(headNamed.size > 0 ? { pretrainingHead: headNamed } : {}),
      pretraining: {
        task,
        description: OFFICIAL_TASKS[task],
        ...(numLabels > 0 ? { numLabels } : {}),
        ...(labels ? { labels } : {}),
      },
      // the file name and hash identify the checkpoint without recording a local path
      provenance: { importedFrom: basename(checkpoint), sha256: (await hashFile(checkpoint)).sha256, format },
      ...(options.overwrite ? { overwrite: true } : {}),
    });
    return { meta, adapterTensors: adapterNamed.size, headTensors: headNamed.size, format };
  } finally {
    stack.dispose();
    for (const t of named.values()) t.dispose();
  }
}

/**
 * The official pre-training head tensors (kadapter-spec.md §6) with `numLabels` output classes:
 * the parameters of the `fac-pretraining` / `lin-pretraining` heads of @kadapter/heads.
 */
function pretrainingHeadSpec(task: OfficialTask, hidden: number, numLabels: number): WeightSpec {
  if (task === 'lin') {
    const config = {
      kind: 'lin-pretraining' as const,
      hiddenSize: hidden,
      numClasses: numLabels,
      dropout: 0.1,
      layerNormEps: 1e-5,
    };
    return weightSpec(linPretraining.params(config));
  }
  const labels = Array.from({ length: numLabels }, (_, i) => String(i));
  return weightSpec(facPretraining.params({ kind: 'fac-pretraining', hiddenSize: hidden, labels, dropout: 0.1 }));
}
