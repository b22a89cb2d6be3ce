export * from './contracts/index.js';
export type { SerializedError, SerializedTypedError } from './error-transfer.js';
export { deserializeError, errorDetail, serializeError } from './error-transfer.js';
export * from './errors.js';
export type { Progress, ProgressOptions } from './progress.js';
export { createProgress } from './progress.js';
