import type { AdapterConfig } from '@kadapter/core';
import { z } from 'zod';
import type { BackboneRef } from './backbone-ref.js';
import { adapterConfigSchema } from './config.js';

/** Version of the adapter directory layout; loaders refuse other versions. */
export const ADAPTER_SCHEMA_VERSION = 1;

export const ADAPTER_CONFIG_FILE = 'adapter_config.json';
export const ADAPTER_WEIGHTS_FILE = 'adapter.safetensors';
export const PRETRAINING_HEAD_FILE = 'pretraining_head.safetensors';
export const ADAPTER_CARD_FILE = 'README.md';

/** The files of an adapter directory, as `@kadapter/io`'s `hubSnapshot` fetches them from a Hub repo. */
export const ADAPTER_HUB_FILES = {
  required: [ADAPTER_CONFIG_FILE, ADAPTER_WEIGHTS_FILE],
  optional: [PRETRAINING_HEAD_FILE, ADAPTER_CARD_FILE],
} as const;

/** What the adapter was pre-trained on. */
export interface PretrainingInfo {
  /** task id, e.g. "fac" (T-REx relation classification) or "lin" (dependency head prediction) */
  task: string;
  /** one line saying what the task is */
  description?: string;
  /** class names of the pre-training head in logit order, when they have names */
  labels?: string[];
  /** number of classes of the pre-training head */
  numLabels?: number;
  /** whether the pre-training head's tensors are kept in `pretraining_head.safetensors` */
  headWeights: boolean;
}

/** Contents of `adapter_config.json`. */
export interface AdapterMeta {
  schemaVersion: number;
  architecture: 'k-adapter';
  /** @kadapter/core contract version that wrote it */
  contractVersion: string;
  name: string;
  backbone: BackboneRef;
  adapter: AdapterConfig;
  pretraining?: PretrainingInfo;
  /** where the weights came from (e.g. the imported checkpoint), free-form */
  provenance?: Record<string, string>;
}

const int = z.number().int();

/** The JSON form of a BackboneRef (older files have only name, hiddenSize, numLayers and revision). */
export const backboneRefSchema = z.object({
  name: z.string().min(1),
  hubId: z.string().min(1).optional(),
  revision: z.string().optional(),
  contentHash: z
    .string()
    .regex(/^sha256:[0-9a-f]{16,64}$/, "must be 'sha256:' followed by hex digits")
    .optional(),
  modelType: z.enum(['roberta', 'bert']).optional(),
  hiddenSize: int.positive(),
  numLayers: int.positive().optional(),
  numHeads: int.positive().optional(),
  vocabSize: int.positive().optional(),
  maxPositions: int.positive().optional(),
}) satisfies z.ZodType<BackboneRef>;

export const adapterMetaSchema = z.object({
  schemaVersion: z.literal(ADAPTER_SCHEMA_VERSION, {
    error: (i) =>
      `schemaVersion ${JSON.stringify(i.input)} is not supported (this version reads ${ADAPTER_SCHEMA_VERSION})`,
  }),
  architecture: z.literal('k-adapter'),
  contractVersion: z.string(),
  name: z.string().regex(/^[A-Za-z0-9_-]+$/, 'name must use letters, digits, _ and - only'),
  backbone: backboneRefSchema,
  adapter: adapterConfigSchema(),
  pretraining: z
    .object({
      task: z.string().min(1),
      description: z.string().optional(),
      labels: z.array(z.string()).optional(),
      numLabels: int.positive().optional(),
      headWeights: z.boolean(),
    })
    .optional(),
  provenance: z.record(z.string(), z.string()).optional(),
}) satisfies z.ZodType<AdapterMeta>;
