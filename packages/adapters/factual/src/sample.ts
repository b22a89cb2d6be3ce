import { fileURLToPath } from 'node:url';
import type { KnowledgeSample } from '@kadapter/core';

/** `sample/` of this package (beside `src/` and `dist/`). */
const file = (name: string) => fileURLToPath(new URL(`../sample/${name}`, import.meta.url));

/**
 * The bundled sample: the T-REx website sample (2 documents, 112 triples) cleaned and split by
 * `@kadapter/data-trex` (official cleaning, every relation kept, the official 410 labels, seeded
 * 90/10 split): 86 train and 10 dev examples in the `trex-rc` format. `scripts/build-sample.ts` made it.
 */
export const factualSample: KnowledgeSample = {
  train: [file('train-00000-of-00001.jsonl')],
  dev: [file('dev-00000-of-00001.jsonl')],
  description:
    'T-REx website sample (github.com/hadyelsahar/t-rex @ 28c192a, 2 documents) built with @kadapter/data-trex: min count 1, official relations, seed 42, 90/10 split (86 train, 10 dev)',
  license: 'CC BY-SA 4.0',
};
