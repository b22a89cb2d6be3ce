import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sharedPath } from '@kadapter/test-utils';
import { afterAll } from 'vitest';

export const EWT = (split: 'train' | 'dev' | 'test') =>
  sharedPath('data', 'ud-english-ewt', `en_ewt-ud-${split}.conllu`);

/** A fresh temp directory, removed after the test file. */
export function useTempDir(): () => Promise<string> {
  const dirs: string[] = [];
  afterAll(async () => {
    await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  });
  return async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kadapter-dep-test-'));
    dirs.push(dir);
    return dir;
  };
}

/** Rows of a tab-separated CoNLL-U sentence, for writing small test files. */
export function conllu(...sentences: Array<{ comments?: string[]; rows: string[][] }>): string {
  return sentences
    .map((s) => [...(s.comments ?? []), ...s.rows.map((r) => r.join('\t'))].join('\n'))
    .join('\n\n')
    .concat('\n\n');
}

/** A CoNLL-U row with defaults for the columns the builder ignores. */
export const row = (id: string, form: string, head: string, deprel: string, misc = '_') => [
  id,
  form,
  '_',
  '_',
  '_',
  '_',
  head,
  deprel,
  '_',
  misc,
];
