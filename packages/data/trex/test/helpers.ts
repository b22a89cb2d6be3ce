import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sharedPath } from '@kadapter/test-utils';
import { afterAll } from 'vitest';

export const SAMPLE = sharedPath('data', 'trex', 'sample-output.json');
export const CLEAN_FIXTURE = (name: string) => sharedPath('fixtures', 'trex-clean', name);

export async function readJson<T = unknown>(path: string): Promise<T> {
  return JSON.parse(await readFile(path, 'utf8')) as T;
}

/** Parses a JSONL file into its records. */
export async function readJsonl<T = unknown>(path: string): Promise<T[]> {
  const text = await readFile(path, 'utf8');
  return text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as T);
}

/** A fresh temp directory, removed after the test file. */
export function useTempDir(): () => Promise<string> {
  const dirs: string[] = [];
  afterAll(async () => {
    await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  });
  return async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kadapter-trex-test-'));
    dirs.push(dir);
    return dir;
  };
}
