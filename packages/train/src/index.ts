export type { AdamWOptions } from './adamw.js';
export { AdamW, officialNoDecay } from './adamw.js';
export type { ClipResult } from './clip.js';
export { clipGradNorm, globalNorm } from './clip.js';
export type { ScheduleOptions } from './schedule.js';
export { learningRate, warmupLinear } from './schedule.js';
export type { TrainStepOptions, TrainStepResult } from './step.js';
export { trainStep } from './step.js';
