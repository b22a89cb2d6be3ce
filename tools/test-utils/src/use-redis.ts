import { afterAll, beforeAll } from 'vitest';
import { findServiceBinary, type RedisServer, startRedisServer } from './services.js';

/**
 * A redis-server for this test file (started once, stopped after). When redis-server is not
 * installed, `skipNote` says so with the install command (tests call `ctx.skip(skipNote)`), except
 * under KADAPTER_REQUIRE_SERVICES=1, where the file fails.
 */
export function useRedis(): { server: () => RedisServer | undefined; skipNote: string | undefined } {
  const binary = findServiceBinary('redis-server', 'apt-get install redis-server');
  let server: RedisServer | undefined;
  beforeAll(async () => {
    if (binary.path) server = await startRedisServer(binary.path);
  });
  afterAll(async () => {
    await server?.stop();
  });
  return { server: () => server, skipNote: binary.skipNote };
}
