import { sharedPath } from '@kadapter/test-utils';

export const EWT = (split: 'train' | 'dev' | 'test') =>
  sharedPath('data', 'ud-english-ewt', `en_ewt-ud-${split}.conllu`);

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
