import { ConfigError } from '@kadapter/core';
import * as tf from '@tensorflow/tfjs';
import { AdamW, type AdamWOptions } from './adamw.js';
import { epochBatches } from './batches.js';
import { clipGradNorm, globalNorm } from './clip.js';
import type { TaskModel } from './model.js';
import type { Policy } from './policy.js';
import { Rng, type RngState } from './rng.js';
import { learningRate } from './schedule.js';

/** How a run trains: batches, schedule, clipping, seeds. */
export interface TrainSettings {
  batchSize: number;
  /** micro-batches per update (gradients summed, each loss divided by this) */
  gradAccum: number;
  epochs: number;
  /** stop after this many updates (default: when the epochs are done) */
  maxSteps?: number;
  /** length of the warm-up/linear schedule in updates (default: the updates of all epochs) */
  totalSteps?: number;
  lr: number;
  /** warm-up updates; or `warmupFraction` of totalSteps (default 0) */
  warmupSteps?: number;
  warmupFraction?: number;
  /**
   * `scheduler.step()` before `optimizer.step()` (pre-training, FIGER, CosmosQA: update 1 runs at
   * lr·1/warmup) or after (OpenEntity, TACRED: update 1 runs at lr 0)
   */
  schedulerFirst: boolean;
  /** clip each gradient group to this global L2 norm (undefined: no clipping) */
  maxGradNorm?: number;
  /** shuffle the examples every epoch (seeded) */
  shuffle: boolean;
  /** every random choice of the run (shuffling, dropout masks) comes from it */
  seed: number;
  optimizer?: AdamWOptions;
  /** evaluate every N updates (and at the end) when there is dev data */
  evalEvery?: number;
  evalBatchSize?: number;
  /** hand a checkpoint to `hooks.checkpoint` every N updates */
  checkpointEvery?: number;
}

/** Where a run is: the next batch to train is batch `batch` of epoch `epoch`, after `step` updates. */
export interface TrainPosition {
  step: number;
  epoch: number;
  batch: number;
}

/** Everything needed to continue a run exactly: parameters, optimizer, position, random state. */
export interface TrainCheckpoint {
  position: TrainPosition;
  rng: RngState;
  /** the trained variables by name (copies, tfjs layout) */
  params: Map<string, tf.Tensor>;
  optimizer: { step: number; moments: Map<string, tf.Tensor> };
  best?: BestResult;
}

export interface BestResult {
  metric: string;
  value: number;
  step: number;
}

export interface StepReport {
  step: number;
  epoch: number;
  loss: number;
  lr: number;
  /** global L2 norm of each clip group's gradients, before clipping */
  gradNorms: number[];
  /** training examples per second over this update */
  examplesPerSecond: number;
}

export interface TrainHooks {
  onStep?(report: StepReport): void | Promise<void>;
  onEval?(report: { step: number; metrics: Record<string, number>; best: boolean }): void | Promise<void>;
  /** a checkpoint to save (every `checkpointEvery` updates, and when stopping early); tensors are the hook's to dispose */
  checkpoint?(checkpoint: TrainCheckpoint): Promise<void>;
  /** asked after every update: true stops the run (after a checkpoint), e.g. on Ctrl-C */
  shouldStop?(): boolean;
}

export interface TrainResult {
  steps: number;
  /** stopped by `shouldStop` before the end */
  interrupted: boolean;
  best?: BestResult;
  /** the last evaluation */
  lastMetrics?: Record<string, number>;
}

/** Updates per epoch and the schedule length the official scripts use (`len(loader) // accum * epochs`). */
export function scheduleLength(examples: number, s: Pick<TrainSettings, 'batchSize' | 'gradAccum' | 'epochs'>): number {
  const batches = Math.ceil(examples / s.batchSize);
  return Math.max(1, Math.floor(batches / s.gradAccum) * s.epochs);
}

/**
 * Trains the parts of `model` that `policy` trains, as the official loops do: seeded mini-batches,
 * gradient accumulation, the warm-up/linear schedule in either call order, clipping per group,
 * AdamW; periodic evaluation on `dev` with the best result kept, checkpoints through `hooks`,
 * and an exact continuation from `resume`.
 */
export async function train(
  model: TaskModel,
  policy: Policy,
  s: TrainSettings,
  hooks: TrainHooks = {},
  options: { dev?: TaskModel; resume?: TrainCheckpoint } = {},
): Promise<TrainResult> {
  checkSettings(s);
  const { all, clipGroups } = model.parameters(policy);
  if (all.size === 0)
    throw new ConfigError(`policy '${policy.name}' leaves nothing to train here`, { field: 'policy' });
  const totalSteps = s.totalSteps ?? scheduleLength(model.examples, s);
  const warmupSteps = s.warmupSteps ?? Math.round((s.warmupFraction ?? 0) * totalSteps);
  const epochsTotal = s.epochs;
  const optimizer = new AdamW(all, s.optimizer);
  let rng = Rng.seeded(`${s.seed}/dropout`);
  let position: TrainPosition = { step: 0, epoch: 0, batch: 0 };
  let best: BestResult | undefined;
  let lastMetrics: Record<string, number> | undefined;
  if (options.resume) {
    const r = options.resume;
    for (const [name, v] of all) {
      const t = r.params.get(name);
      if (!t || t.shape.join() !== v.shape.join()) {
        throw new ConfigError(`the checkpoint has no parameter '${name}' of shape [${v.shape}]`, { field: name });
      }
      v.assign(t);
    }
    optimizer.restore(r.optimizer, 'checkpoint');
    rng = Rng.restore(r.rng);
    position = { ...r.position };
    best = r.best;
  }
  const random = () => rng.next();
  const primary = model.task.metrics.primary;
  const evaluate = async (step: number) => {
    if (!options.dev) return;
    const metrics = options.dev.evaluate(s.evalBatchSize ?? s.batchSize);
    lastMetrics = metrics;
    const value = metrics[primary.name] as number;
    const better = best === undefined || (primary.higherIsBetter ? value > best.value : value < best.value);
    if (better) best = { metric: primary.name, value, step };
    await hooks.onEval?.({ step, metrics, best: better });
  };
  const snapshot = (): TrainCheckpoint => ({
    position: { ...position },
    rng: rng.state(),
    params: new Map([...all].map(([n, v]) => [n, tf.clone(v)])),
    optimizer: optimizer.state(),
    ...(best ? { best } : {}),
  });

  let pending: Map<string, tf.Tensor> | undefined;
  let micro = 0;
  let microLoss = 0;
  let microExamples = 0;
  let started = performance.now();
  const maxSteps = s.maxSteps ?? Number.POSITIVE_INFINITY;
  try {
    outer: for (let epoch = position.epoch; epoch < epochsTotal && position.step < maxSteps; epoch++) {
      const batches = epochBatches(model.examples, s.batchSize, s.shuffle ? `${s.seed}/${epoch}` : undefined);
      for (let b = epoch === position.epoch ? position.batch : 0; b < batches.length; b++) {
        const rows = batches[b] as number[];
        const { value, grads } = tf.variableGrads(
          () => tf.div(model.loss(rows, { dropout: policy.dropout, random }), s.gradAccum) as tf.Scalar,
          [...all.values()],
        );
        microLoss += (value.dataSync()[0] as number) * s.gradAccum;
        value.dispose();
        microExamples += rows.length;
        pending = accumulate(pending, all, grads);
        micro += 1;
        if (micro < s.gradAccum) continue;

        const update = position.step + 1;
        const lr = learningRate(update, { baseLr: s.lr, warmupSteps, totalSteps, schedulerFirst: s.schedulerFirst });
        const gradNorms: number[] = [];
        const clipped = new Map<string, tf.Tensor>();
        for (const group of clipGroups) {
          const g = new Map(
            [...group.keys()].flatMap((n) => (pending?.has(n) ? [[n, pending.get(n) as tf.Tensor]] : [])),
          );
          if (s.maxGradNorm === undefined) {
            gradNorms.push(globalNorm(g));
            for (const [n, t] of g) clipped.set(n, t);
          } else {
            const c = clipGradNorm(g, s.maxGradNorm);
            gradNorms.push(c.totalNorm);
            for (const [n, t] of c.grads) clipped.set(n, t);
          }
        }
        optimizer.step(clipped, lr);
        disposeGrads(pending, clipped);
        pending = undefined;
        const loss = microLoss / micro;
        const seconds = (performance.now() - started) / 1000;
        const report = { step: update, epoch, loss, lr, gradNorms, examplesPerSecond: microExamples / seconds };
        micro = 0;
        microLoss = 0;
        microExamples = 0;
        position =
          b + 1 < batches.length ? { step: update, epoch, batch: b + 1 } : { step: update, epoch: epoch + 1, batch: 0 };
        await hooks.onStep?.(report);
        if (s.evalEvery !== undefined && update % s.evalEvery === 0) await evaluate(update);
        const stop = hooks.shouldStop?.() === true;
        const due = s.checkpointEvery !== undefined && update % s.checkpointEvery === 0;
        if ((due || stop) && hooks.checkpoint) await hooks.checkpoint(snapshot());
        if (stop)
          return {
            steps: update,
            interrupted: true,
            ...(best ? { best } : {}),
            ...(lastMetrics ? { lastMetrics } : {}),
          };
        if (update >= maxSteps) break outer;
        started = performance.now();
      }
    }
    if (options.dev && (s.evalEvery === undefined || position.step % s.evalEvery !== 0)) await evaluate(position.step);
    return {
      steps: position.step,
      interrupted: false,
      ...(best ? { best } : {}),
      ...(lastMetrics ? { lastMetrics } : {}),
    };
  } finally {
    if (pending) tf.dispose([...pending.values()]);
    optimizer.dispose();
  }
}

/** Adds a micro-batch's gradients to the pending sums (by parameter name); the inputs are consumed. */
function accumulate(
  pending: Map<string, tf.Tensor> | undefined,
  params: ReadonlyMap<string, tf.Variable>,
  grads: tf.NamedTensorMap,
): Map<string, tf.Tensor> {
  const out = new Map<string, tf.Tensor>();
  for (const [name, v] of params) {
    const g = grads[v.name];
    const prev = pending?.get(name);
    if (g && prev) {
      out.set(name, tf.add(prev, g));
      tf.dispose([prev, g]);
    } else if (g) out.set(name, g);
    else if (prev) out.set(name, prev);
  }
  return out;
}

function disposeGrads(pending: Map<string, tf.Tensor> | undefined, clipped: Map<string, tf.Tensor>): void {
  const keep = new Set(pending?.values() ?? []);
  tf.dispose([...(pending?.values() ?? [])]);
  tf.dispose([...clipped.values()].filter((t) => !keep.has(t)));
}

function checkSettings(s: TrainSettings): void {
  const positive = (field: keyof TrainSettings, v: number | undefined, min = 1) => {
    if (v !== undefined && !(Number.isInteger(v) && v >= min)) {
      throw new ConfigError(`${field} must be an integer >= ${min}, got ${v}`, { field });
    }
  };
  positive('batchSize', s.batchSize);
  positive('gradAccum', s.gradAccum);
  positive('epochs', s.epochs, 0);
  positive('maxSteps', s.maxSteps);
  positive('totalSteps', s.totalSteps);
  positive('warmupSteps', s.warmupSteps, 0);
  positive('evalEvery', s.evalEvery);
  positive('checkpointEvery', s.checkpointEvery);
  if (!(s.lr >= 0)) throw new ConfigError(`lr must be >= 0, got ${s.lr}`, { field: 'lr' });
  if (s.warmupFraction !== undefined && !(s.warmupFraction >= 0 && s.warmupFraction <= 1)) {
    throw new ConfigError(`warmupFraction must be in [0, 1], got ${s.warmupFraction}`, { field: 'warmupFraction' });
  }
  if (s.warmupSteps !== undefined && s.warmupFraction !== undefined) {
    throw new ConfigError('give warmupSteps or warmupFraction, not both', { field: 'warmupSteps' });
  }
}
