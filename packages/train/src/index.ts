export type { AdamWOptions } from './adamw.js';
export { AdamW, officialNoDecay } from './adamw.js';
export { epochBatches } from './batches.js';
export type { ClipResult } from './clip.js';
export { clipGradNorm, globalNorm } from './clip.js';
export type { EpochInfo, FitOptions, FitResult } from './fit.js';
export { fit } from './fit.js';
export type { ScheduleOptions } from './schedule.js';
export { learningRate, warmupLinear } from './schedule.js';
export type { TrainStepOptions, TrainStepResult } from './step.js';
export { trainStep } from './step.js';
export { accuracyMetric, tokenAccuracyMetric } from './metrics.js';
export type { FeatureColumns } from './features.js';
export type { NamedHead, StepOptions, TaskModelOptions, TaskParts, TaskShape } from './model.js';
export { TaskModel } from './model.js';
export type { Part, Policy, PolicyName } from './policy.js';
export { POLICIES, POLICY_NAMES, policy } from './policy.js';
export type { RngState } from './rng.js';
export { Rng } from './rng.js';
export type { RunRecord } from './run-dir.js';
export { METRICS_FILE, RUN_FILE, RunDir } from './run-dir.js';
export type { BackboneStatesOptions } from './states.js';
export { BackboneStates } from './states.js';
export type {
  BestResult,
  StepReport,
  TrainCheckpoint,
  TrainHooks,
  TrainPosition,
  TrainResult,
  TrainSettings,
} from './trainer.js';
export { scheduleLength, train } from './trainer.js';
export type { RunTrainingOptions } from './run-training.js';
export { trainInRun } from './run-training.js';
