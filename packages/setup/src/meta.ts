import { type BackboneRef, backboneRefSchema } from '@kadapter/adapter';
import { POSITION_ID_MODES } from '@kadapter/backbone';
import type { PositionIdMode } from '@kadapter/nn';
import type { Schema } from '@kadapter/core';
import { type FusionConfigBase, fusionKind } from '@kadapter/fusion';
import { type HeadConfigBase, headKind } from '@kadapter/heads';
import { z } from 'zod';

export const SETUP_SCHEMA_VERSION = 1;
export const SETUP_FILE = 'setup.json';

/**
 * Where the backbone comes from and what it must be (its weights are not stored in the setup):
 * the architecture and content hash decide (see `BackboneRef`), `source` says where to load it.
 */
export interface SetupBackbone extends BackboneRef {
  /**
   * The Hub id when `hubId` is set (loaded at `revision`, the commit, through the Hugging Face
   * cache), else the model directory relative to the setup directory. Files written before may
   * hold an absolute path.
   */
  source: string;
  numLayers: number;
  /** RoBERTa position numbering the composition was built with ("legacy" or "hf") */
  positionIds?: PositionIdMode;
}

/** Contents of `setup.json`. Every path is relative to the setup directory. */
export interface SetupMeta {
  schemaVersion: number;
  contractVersion: string;
  backbone: SetupBackbone;
  /** adapter name -> adapter directory */
  adapters: Record<string, string>;
  fusion: { config: FusionConfigBase; weights?: string };
  /** head name -> config and weights file */
  heads: Record<string, { config: HeadConfigBase; weights: string }>;
}

const relPath = z
  .string()
  .min(1)
  .refine((p) => !p.startsWith('/') && !p.split(/[\\/]/).includes('..'), 'must be a path inside the setup directory');

/** Error option of a required part: when it is absent, the message says the setup is incomplete and names it. */
const required = (name: string) => ({
  error: (issue: { input: unknown }) =>
    issue.input === undefined ? `the setup is incomplete: it has no ${name}` : undefined,
});

/**
 * A config of an open kind (fusion or head): `kind` names a registered kind, whose own schema then
 * checks the rest; its issues keep their field paths.
 */
function kindConfig<C>(lookup: (kind: string) => { schema: Schema<unknown> }) {
  return z.looseObject({ kind: z.string() }).transform((value, ctx) => {
    let schema: Schema<unknown>;
    try {
      schema = lookup(value.kind).schema;
    } catch (err) {
      ctx.addIssue({ code: 'custom', path: ['kind'], message: (err as Error).message.replace(/^field 'kind': /, '') });
      return z.NEVER;
    }
    const parsed = schema.safeParse(value);
    if (parsed.success) return parsed.data as C;
    for (const issue of parsed.error.issues)
      ctx.addIssue({ code: 'custom', path: [...issue.path] as PropertyKey[], message: issue.message });
    return z.NEVER;
  });
}

export const setupMetaSchema = z.object({
  schemaVersion: z.literal(SETUP_SCHEMA_VERSION, {
    error: (i) =>
      `schemaVersion ${JSON.stringify(i.input)} is not supported (this version reads ${SETUP_SCHEMA_VERSION})`,
  }),
  contractVersion: z.string(),
  backbone: z.object(
    {
      ...backboneRefSchema.shape,
      source: z.string().min(1),
      numLayers: z.number().int().positive(),
      positionIds: z.enum(POSITION_ID_MODES).optional(),
    },
    required('backbone'),
  ),
  adapters: z
    .record(z.string(), relPath, required('adapters'))
    .refine((a) => Object.keys(a).length > 0, 'the setup is incomplete: it has no adapters'),
  fusion: z.object(
    { config: kindConfig<FusionConfigBase>(fusionKind), weights: relPath.optional() },
    required('fusion'),
  ),
  heads: z
    .record(z.string(), z.object({ config: kindConfig<HeadConfigBase>(headKind), weights: relPath }), required('heads'))
    .refine((h) => Object.keys(h).length > 0, 'the setup is incomplete: it has no heads'),
}) satisfies z.ZodType<SetupMeta>;
