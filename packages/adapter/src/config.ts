import { type AdapterConfig, defaultAdapterConfig, parseConfig } from '@kadapter/core';
import { z } from 'zod';

const positiveInt = (field: string) =>
  z.number({ error: `${field} must be a positive integer` }).refine((v) => Number.isInteger(v) && v > 0, {
    error: (i) => `${field} must be a positive integer, got ${JSON.stringify(i.input)}`,
  });

/**
 * The one schema of an adapter configuration (the fields are documented on core's `AdapterConfig`).
 * With `backboneLayers`, taps must lie within that depth and the missing-taps message names it.
 */
export function adapterConfigSchema(backboneLayers?: number) {
  return z
    .object({
      taps: z.array(z.number({ error: 'taps must be numbers' })),
      adapterSize: positiveInt('adapterSize'),
      layers: positiveInt('layers'),
      heads: positiveInt('heads'),
      intermediateSize: positiveInt('intermediateSize'),
      layerNormEps: z.number().gt(0, { error: (i) => `layerNormEps must be > 0, got ${i.input}` }),
      dropout: z.number().refine((v) => v >= 0 && v < 1, { error: (i) => `dropout must be in [0, 1), got ${i.input}` }),
      skip: z.literal(0, {
        error: (i) =>
          `skip ${JSON.stringify(i.input)} is not implemented: only 0 (kadapter-spec.md §8.3; every official script uses 0)`,
      }),
      maskPadding: z.boolean({ error: 'maskPadding must be true or false' }),
      initRange: z.number().gt(0, { error: (i) => `initRange must be > 0, got ${i.input}` }),
    })
    .superRefine((c, ctx) => {
      const fail = (field: keyof AdapterConfig, message: string) =>
        ctx.addIssue({ code: 'custom', path: [field], message });
      if (c.taps.length === 0) {
        fail(
          'taps',
          `no taps given; the default 0,11,22 applies to 24-layer backbones only, this one has ${backboneLayers ?? 'an unknown number of'} layers`,
        );
      }
      for (const t of c.taps) {
        if (!Number.isInteger(t) || t < 0) fail('taps', `tap ${t} is not a hidden-state index (integer >= 0)`);
        else if (backboneLayers !== undefined && t > backboneLayers) {
          fail(
            'taps',
            `tap ${t} is beyond the backbone depth: hidden states run from 0 (embeddings) to ${backboneLayers} (last layer)`,
          );
        }
      }
      if (c.adapterSize % c.heads !== 0)
        fail('heads', `adapterSize ${c.adapterSize} is not divisible by ${c.heads} heads`);
    }) satisfies z.ZodType<AdapterConfig>;
}

/**
 * A complete adapter configuration from a partial one. Defaults are the official code's
 * (kadapter-spec.md §1.1). Taps default to 0,11,22 only for a 24-layer backbone; any other depth
 * must name its taps (the tiny fixture uses 0,2,3). `source` names the config in errors.
 */
export function resolveAdapterConfig(
  partial: Partial<AdapterConfig>,
  backboneLayers: number,
  source = 'adapter config',
): AdapterConfig {
  return parseConfig(
    adapterConfigSchema(backboneLayers),
    { ...defaultAdapterConfig(backboneLayers), ...partial },
    source,
  );
}

/** Throws a ConfigError naming the first field that is out of range or inconsistent. */
export function validateAdapterConfig(config: AdapterConfig, backboneLayers: number | undefined, source: string): void {
  parseConfig(adapterConfigSchema(backboneLayers), config, source);
}
