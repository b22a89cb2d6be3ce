export * from './contracts/index.js';
export * from './errors.js';
export type { Progress, ProgressOptions } from './progress.js';
export { createProgress } from './progress.js';
