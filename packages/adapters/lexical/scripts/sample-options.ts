import { fileURLToPath } from 'node:url';
import type { BuildLexicalOptions } from '../src/index.js';

/** UD English EWT (train, dev and test) in the shared data folder beside the repository. */
export const UD_EWT_DIR = fileURLToPath(new URL('../../../../../shared/data/ud-english-ewt', import.meta.url));

/**
 * The options of the bundled sample: 50 examples per relation and source, a fifth of the pairs in
 * dev, contexts of at most 20 words (so that 95 % of them fit 64 tokens even of the tiny fixture
 * tokenizer, whose 534 symbols cut a word into about three tokens).
 */
export const SAMPLE_OPTIONS = {
  conllu: [UD_EWT_DIR],
  glosses: true,
  seed: 42,
  devFraction: 0.2,
  maxPerClass: 50,
  maxWords: 20,
} as const satisfies Omit<BuildLexicalOptions, 'outDir'>;
