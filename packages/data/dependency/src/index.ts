export type {
  BuildFindHeadOptions,
  FindHeadInputStats,
  FindHeadManifest,
  FindHeadSkipReason,
} from './build-find-head.js';
export { buildFindHead, FIND_HEAD_BUILDER_VERSION, findHeadManifestPath } from './build-find-head.js';
export type { ConlluIssue, ConlluIssueReason, ReadConlluOptions } from './conllu-reader.js';
export { CONLLU_ISSUE_REASONS, readConllu } from './conllu-reader.js';
export type { ConlluMultiwordToken, ConlluSentence, ConlluWord, DependencyTriple } from './conllu-sentence.js';
export { dependencyTriples } from './conllu-sentence.js';
export type { ConversionNotes } from './conllu-to-find-head.js';
export { conlluToFindHead } from './conllu-to-find-head.js';
export type { CharSpan, FindHeadExample, FindHeadPair, FindHeadProblem } from './find-head.js';
export { checkFindHeadExample } from './find-head.js';
export type { ReadFindHeadOptions } from './find-head-io.js';
export { FindHeadWriter, readFindHead, writeFindHead } from './find-head-io.js';
