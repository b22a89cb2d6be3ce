import { z } from 'zod';

/** The adapters a fusion combines: at least one, names usable as file names, no duplicates. */
export const adapters = z
  .array(
    z
      .string()
      .regex(/^[A-Za-z0-9_-]+$/, {
        error: (i) => `adapter name '${i.input}' must use letters, digits, '_' and '-' only`,
      }),
  )
  .min(1, { error: 'a fusion needs at least one adapter' })
  .superRefine((xs, ctx) => {
    const dup = xs.find((a, i) => xs.indexOf(a) !== i);
    if (dup !== undefined) ctx.addIssue({ code: 'custom', message: `adapter '${dup}' is listed twice` });
  });

export const hiddenSize = z
  .number()
  .refine((v) => Number.isInteger(v) && v > 0, {
    error: (i) => `hiddenSize must be a positive integer, got ${i.input}`,
  });
