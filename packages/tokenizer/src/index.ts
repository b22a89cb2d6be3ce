export type { LegacyChunk } from './legacy-split.js';
export { splitLegacy } from './legacy-split.js';
export type { LoadOptions } from './load.js';
export { loadTokenizer, loadTokenizerJson, loadVocabMerges } from './load.js';
export { PY_WHITESPACE, pyStrip } from './python-strip.js';
export { RobertaTokenizer } from './roberta-tokenizer.js';
export type { SpecialTokenNames } from './special-tokens.js';
export { ROBERTA_SPECIAL_TOKENS } from './special-tokens.js';
export { robertaTokenizerJson } from './vocab-merges.js';
