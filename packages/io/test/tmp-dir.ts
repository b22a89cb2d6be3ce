import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';

/** A fresh temp directory for the current test file, removed after its tests. */
export function useTmpDir(): { path: (...parts: string[]) => string; list: (...parts: string[]) => Promise<string[]> } {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kadapter-io-test-'));
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });
  return {
    path: (...parts) => join(dir, ...parts),
    list: async (...parts) => (await readdir(join(dir, ...parts))).sort(),
  };
}
