import { type AdapterConfig, ConfigError, defaultAdapterConfig } from '@kadapter/core';

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
  const config: AdapterConfig = { ...defaultAdapterConfig(backboneLayers), ...partial };
  validateAdapterConfig(config, backboneLayers, source);
  return config;
}

/** Throws a ConfigError naming the first field that is out of range or inconsistent. */
export function validateAdapterConfig(config: AdapterConfig, backboneLayers: number | undefined, source: string): void {
  const fail = (field: string, message: string): never => {
    throw new ConfigError(message, { file: source, field });
  };
  if (config.taps.length === 0) {
    fail(
      'taps',
      `no taps given; the default 0,11,22 applies to 24-layer backbones only, this one has ${backboneLayers ?? 'an unknown number of'} layers`,
    );
  }
  for (const t of config.taps) {
    if (!Number.isInteger(t) || t < 0) fail('taps', `tap ${t} is not a hidden-state index (integer >= 0)`);
    if (backboneLayers !== undefined && t > backboneLayers) {
      fail(
        'taps',
        `tap ${t} is beyond the backbone depth: hidden states run from 0 (embeddings) to ${backboneLayers} (last layer)`,
      );
    }
  }
  const positive: Array<keyof AdapterConfig> = ['adapterSize', 'layers', 'heads', 'intermediateSize'];
  for (const field of positive) {
    const v = config[field] as number;
    if (!Number.isInteger(v) || v <= 0) fail(field, `${field} must be a positive integer, got ${v}`);
  }
  if (config.adapterSize % config.heads !== 0) {
    fail('heads', `adapterSize ${config.adapterSize} is not divisible by ${config.heads} heads`);
  }
  if (!(config.layerNormEps > 0)) fail('layerNormEps', `layerNormEps must be > 0, got ${config.layerNormEps}`);
  if (!(config.dropout >= 0 && config.dropout < 1)) fail('dropout', `dropout must be in [0, 1), got ${config.dropout}`);
  if (config.skip !== 0) {
    fail(
      'skip',
      `skip ${config.skip} is not implemented: only 0 (kadapter-spec.md §8.3; every official script uses 0)`,
    );
  }
  if (typeof config.maskPadding !== 'boolean') fail('maskPadding', 'maskPadding must be true or false');
  if (!(config.initRange > 0)) fail('initRange', `initRange must be > 0, got ${config.initRange}`);
}
