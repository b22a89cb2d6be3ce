import { ConfigError } from '@kadapter/core';

/**
 * `WarmupLinearSchedule` of pytorch_transformers: the learning-rate multiplier at scheduler step
 * `step` is step/warmup during warm-up, then decays linearly to 0 at `total`.
 */
export function warmupLinear(step: number, warmup: number, total: number): number {
  if (step < warmup) return step / Math.max(1, warmup);
  return Math.max(0, (total - step) / Math.max(1, total - warmup));
}

export interface ScheduleOptions {
  baseLr: number;
  warmupSteps: number;
  totalSteps: number;
  /**
   * The official pre-training loop (and the FIGER and CosmosQA scripts) call `scheduler.step()`
   * before `optimizer.step()`, so update n uses the multiplier of step n (the first update already
   * runs at lr·1/warmup). OpenEntity and TACRED call the optimizer first: update n uses step n-1,
   * so the first update runs at lr 0. Default: true (pre-training order).
   */
  schedulerFirst?: boolean;
}

/** Learning rate of the n-th update (n = 1, 2, ...), following the official call order. */
export function learningRate(update: number, o: ScheduleOptions): number {
  if (!(o.baseLr >= 0)) throw new ConfigError(`baseLr must be >= 0, got ${o.baseLr}`, { field: 'baseLr' });
  if (!(o.totalSteps > 0))
    throw new ConfigError(`totalSteps must be > 0, got ${o.totalSteps}`, { field: 'totalSteps' });
  const step = (o.schedulerFirst ?? true) ? update : update - 1;
  return o.baseLr * warmupLinear(step, o.warmupSteps, o.totalSteps);
}
