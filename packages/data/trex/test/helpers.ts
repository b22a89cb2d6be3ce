import { readFile } from 'node:fs/promises';
import { sharedPath } from '@kadapter/test-utils';

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
