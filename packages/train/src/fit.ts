import { ConfigError } from '@kadapter/core';
import { createProgress, type ProgressOptions } from '@kadapter/progress';
import type * as tf from '@tensorflow/tfjs';
import { AdamW, type AdamWOptions } from './adamw.js';
import { epochBatches } from './batches.js';
import { learningRate } from './schedule.js';
import { trainStep } from './step.js';

export interface FitOptions {
  /** number of training examples (batches are drawn from 0..examples-1) */
  examples: number;
  batchSize: number;
  epochs: number;
  baseLr: number;
  /** warm-up length as a fraction of all updates (default 0.1) */
  warmupFraction?: number;
  /** gradient-norm clipping (default 1.0, as the official scripts) */
  maxGradNorm?: number;
  /** shuffle seed; epoch e uses `${seed}/${e}` */
  seed?: string | number;
  optimizer?: AdamWOptions;
  /** called after every epoch */
  onEpoch?: (info: EpochInfo) => void;
  /**
   * progress within each epoch: `train epoch e/E`, steps of that epoch; the bar is transient, so
   * what `onEpoch` prints is not overdrawn
   */
  progress?: Pick<ProgressOptions, 'stream' | 'silent' | 'intervalMs'>;
}

export interface EpochInfo {
  epoch: number;
  meanLoss: number;
  updates: number;
}

export interface FitResult {
  epochs: EpochInfo[];
  updates: number;
}

/**
 * Trains `params` for a number of epochs: seeded mini-batches, AdamW, the warm-up/linear schedule
 * (scheduler stepped before the optimizer, as the official pre-training loop) and clipping.
 * `lossOfBatch` builds the loss of the examples with the given indices.
 */
export function fit(
  params: ReadonlyMap<string, tf.Variable>,
  lossOfBatch: (indices: number[]) => tf.Scalar,
  o: FitOptions,
): FitResult {
  if (!Number.isInteger(o.epochs) || o.epochs < 0)
    throw new ConfigError(`epochs must be >= 0, got ${o.epochs}`, { field: 'epochs' });
  if (o.examples < 1) throw new ConfigError('there are no training examples', { field: 'examples' });
  const perEpoch = Math.ceil(o.examples / o.batchSize);
  const totalSteps = perEpoch * o.epochs;
  const warmupSteps = Math.round(totalSteps * (o.warmupFraction ?? 0.1));
  const optimizer = new AdamW(params, o.optimizer);
  const epochs: EpochInfo[] = [];
  let update = 0;
  try {
    for (let epoch = 1; epoch <= o.epochs; epoch++) {
      let sum = 0;
      const batches = epochBatches(o.examples, o.batchSize, o.seed === undefined ? undefined : `${o.seed}/${epoch}`);
      const progress = createProgress({
        label: `train epoch ${epoch}/${o.epochs}`,
        total: batches.length,
        unit: 'steps',
        transient: true,
        ...o.progress,
      });
      try {
        for (const batch of batches) {
          update += 1;
          const lr = learningRate(update, { baseLr: o.baseLr, warmupSteps, totalSteps });
          const step = trainStep(() => lossOfBatch(batch), params, optimizer, {
            lr,
            maxGradNorm: o.maxGradNorm ?? 1,
          });
          sum += step.loss;
          progress.tick();
        }
      } finally {
        progress.stop();
      }
      const info = { epoch, meanLoss: sum / batches.length, updates: update };
      epochs.push(info);
      o.onEpoch?.(info);
    }
  } finally {
    optimizer.dispose();
  }
  return { epochs, updates: update };
}
