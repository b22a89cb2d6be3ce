export type { Progress, ProgressOptions } from './progress.js';
export { createProgress } from './progress.js';
