import { ConfigError } from '@kadapter/core';

/**
 * Concat fusion, the official K-Adapter fusion generalised to any number of adapters
 * (kadapter-spec.md §3.1): each adapter `n` gets `task_dense_<n>` = Linear(2H→H) over
 * `cat[h_last, a_n]`; with one adapter that is the output (RobertaModelwithAdapter's single-adapter
 * recipe), with N ≥ 2 `task_dense` = Linear(N·H→H) over the concatenation (N = 2: the official
 * combined fusion).
 */
export interface ConcatFusionConfig {
  kind: 'concat';
  adapters: string[];
  hiddenSize: number;
  /**
   * The as-released CosmosQA AdapterModel (kadapter-spec.md §3.3): each adapter output is first
   * replaced by `<n>_adapter.task_dense(cat[aRate·h_last, bRate·a_n])`. Off by default (the
   * spec's recommended variant feeds the raw adapter output).
   */
  innerProjection?: { aRate: number; bRate: number };
}

/** `h_last + Σ a_n`, no parameters (the official `add` mode, kadapter-spec.md §3.2). */
export interface AddFusionConfig {
  kind: 'add';
  adapters: string[];
}

/**
 * AdapterFusion-style attention (beyond the original): per token, softmax over the adapters of
 * `query(h_last)·key(a_n)/√H`, output `Σ p_n·value(a_n)` (+ h_last when `residual`).
 */
export interface AttentionFusionConfig {
  kind: 'attention';
  adapters: string[];
  hiddenSize: number;
  residual: boolean;
}

export type FusionConfig = ConcatFusionConfig | AddFusionConfig | AttentionFusionConfig;

/** Checks what every fusion needs: at least one adapter, unique names, a positive hidden size. */
export function validateFusionConfig(config: FusionConfig, source = 'fusion config'): void {
  if (config.adapters.length === 0)
    throw new ConfigError('a fusion needs at least one adapter', { file: source, field: 'adapters' });
  const seen = new Set<string>();
  for (const a of config.adapters) {
    if (!/^[A-Za-z0-9_-]+$/.test(a)) {
      throw new ConfigError(`adapter name '${a}' must use letters, digits, '_' and '-' only`, {
        file: source,
        field: 'adapters',
      });
    }
    if (seen.has(a)) throw new ConfigError(`adapter '${a}' is listed twice`, { file: source, field: 'adapters' });
    seen.add(a);
  }
  if ('hiddenSize' in config && !(Number.isInteger(config.hiddenSize) && config.hiddenSize > 0)) {
    throw new ConfigError(`hiddenSize must be a positive integer, got ${config.hiddenSize}`, {
      file: source,
      field: 'hiddenSize',
    });
  }
}
