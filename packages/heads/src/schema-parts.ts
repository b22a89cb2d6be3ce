import { z } from 'zod';

/** Zod pieces the head schemas share, with messages that name the value. */
export const hiddenSize = z
  .number()
  .refine((v) => Number.isInteger(v) && v > 0, {
    error: (i) => `hiddenSize must be a positive integer, got ${i.input}`,
  });

export const positiveInt = (field: string, min = 1) =>
  z.number().refine((v) => Number.isInteger(v) && v >= min, {
    error: (i) => `${field} must be an integer >= ${min}, got ${i.input}`,
  });

export const dropout = z
  .number()
  .refine((v) => v >= 0 && v < 1, { error: (i) => `dropout must be in [0, 1), got ${i.input}` });

export const layerNormEps = z.number().gt(0, { error: (i) => `layerNormEps must be > 0, got ${i.input}` });

/** Class names in logit order: at least one, no duplicates. */
export const labels = z
  .array(z.string())
  .min(1, { error: 'the label list is empty' })
  .superRefine((xs, ctx) => {
    const dup = xs.find((l, i) => xs.indexOf(l) !== i);
    if (dup !== undefined) ctx.addIssue({ code: 'custom', message: `label '${dup}' is listed twice` });
  });
