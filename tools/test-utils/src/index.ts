export type { TestBackend } from './backends.js';
export { describeBackends, TEST_BACKENDS, useBackend } from './backends.js';
export { checkTensorLeaks } from './tensor-leaks.js';
export type { Tolerance } from './close.js';
export { compareClose, expectClose, expectScalarClose } from './close.js';
export { repoRoot, sharedPath, TINY_BACKBONE_INFO, tinyFixture } from './paths.js';
export type { RedisServer, ServiceBinary, SourceProcess } from './services.js';
export { findServiceBinary, freePort, startRedisServer, startSourceProcess, stopProcess } from './services.js';
export { useTempDir } from './temp-dir.js';
export { errorOf, expectError, isTypedError } from './errors.js';
export { useRedis } from './use-redis.js';
export { withEnv } from './env.js';
export type { HubEntry, SeenRequest } from './fake-hub.js';
export { FakeHub, HUB_COMMIT, sha256Hex } from './fake-hub.js';
export {
  EXACT,
  expectOptimizerStep,
  GRADIENT,
  GRADIENT_NORM,
  OPTIMIZER_STEP,
  OPTIMIZER_UPDATE,
  PARITY,
} from './tolerances.js';
