import type { FusionConfig } from '@kadapter/fusion';
import type { HeadConfig } from '@kadapter/heads';
import { z } from 'zod';

const int = z.number().int();
const hiddenSize = int.positive();
const dropout = z.number().min(0).lt(1);
const adapters = z.array(z.string().min(1)).min(1);
const labels = z.array(z.string()).min(1);

/** The JSON form of every fusion config of @kadapter/fusion. */
export const fusionConfigSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('concat'),
    adapters,
    hiddenSize,
    innerProjection: z.object({ aRate: z.number(), bRate: z.number() }).optional(),
  }),
  z.object({ kind: z.literal('add'), adapters }),
  z.object({ kind: z.literal('attention'), adapters, hiddenSize, residual: z.boolean() }),
]) satisfies z.ZodType<FusionConfig>;

/** The JSON form of every head config of @kadapter/heads. */
export const headConfigSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('entity-typing'), hiddenSize, labels, dropout }),
  z.object({ kind: z.literal('relation-classification'), hiddenSize, labels, dropout }),
  z.object({ kind: z.literal('multiple-choice'), hiddenSize, numChoices: int.min(2), dropout }),
  z.object({ kind: z.literal('span-extraction'), hiddenSize, maxAnswerLength: int.positive() }),
  z.object({ kind: z.literal('fac-pretraining'), hiddenSize, labels, dropout }),
  z.object({
    kind: z.literal('lin-pretraining'),
    hiddenSize,
    numClasses: int.positive(),
    dropout,
    layerNormEps: z.number().positive(),
  }),
]) satisfies z.ZodType<HeadConfig>;
