export * from './contracts/index.js';
export type { SerializedError, SerializedTypedError } from './error-transfer.js';
export { deserializeError, errorDetail, serializeError } from './error-transfer.js';
export * from './errors.js';
export { Registry } from './registry.js';
export type { Schema } from './schema.js';
export { issueField, parseConfig } from './schema.js';
