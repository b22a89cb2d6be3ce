import { fileURLToPath } from 'node:url';
import type { KnowledgeSample } from '@kadapter/core';

/** `sample/` of this package (beside `src/` and `dist/`). */
const file = (name: string) => fileURLToPath(new URL(`../sample/${name}`, import.meta.url));

/**
 * The bundled sample: the first 300 sentences of UD English EWT r2.16 train and the first 100 of
 * dev, converted to the official find_head format by `@kadapter/data-dependency` (one example per
 * sentence). `scripts/build-sample.ts` made it.
 */
export const linguisticSample: KnowledgeSample = {
  train: [file('train.json')],
  dev: [file('dev.json')],
  description:
    'UD English EWT r2.16 (github.com/UniversalDependencies/UD_English-EWT @ 15d613d): the first 300 train and 100 dev sentences, converted to find_head by @kadapter/data-dependency',
  license: 'CC BY-SA 4.0',
};
