export type { TestBackend } from './backends.js';
export { describeBackends, TEST_BACKENDS, useBackend } from './backends.js';
export type { Tolerance } from './close.js';
export { compareClose, expectClose } from './close.js';
export { repoRoot, sharedPath, tinyFixture } from './paths.js';
export type { RedisServer, ServiceBinary, SourceProcess } from './services.js';
export { findServiceBinary, freePort, startRedisServer, startSourceProcess, stopProcess } from './services.js';
export { useTempDir } from './temp-dir.js';
export { errorOf, expectError } from './errors.js';
