import { CONTRACT_VERSION, type KnowledgeAdapterModule } from '@kadapter/core';
import { getEncoder } from '@kadapter/data-encode';
import { tinyFixture } from '@kadapter/test-utils';
import { accuracyMetric } from '@kadapter/train';

/**
 * A T-REx relation-classification module over the fixture's examples, as a knowledge package
 * would write it (the real one is @kadapter/adapter-factual); adapter sizes of the tiny fixture.
 */
export const trexModule: KnowledgeAdapterModule = {
  name: 'facts',
  contractVersion: CONTRACT_VERSION,
  description: 'T-REx relation classification (test module)',
  adapter: { taps: [0, 2, 3], adapterSize: 32, layers: 2, heads: 4, intermediateSize: 64 },
  pretraining: {
    name: 'trex',
    description: 'T-REx relation classification',
    encoder: getEncoder('trex'),
    head: (c) => ({ kind: 'fac-pretraining', hiddenSize: c.hiddenSize, labels: [...(c.labels ?? [])], dropout: 0.1 }),
    inputs: {
      selectors: { last: { backbone: 'last' }, subj: { feature: 'subj_marker' }, obj: { feature: 'obj_marker' } },
      labels: { labels: { feature: 'labels' } },
    },
    metrics: accuracyMetric(),
  },
  sample: { train: [tinyFixture('examples', 'trex.json')], description: 'fixture examples', license: 'CC BY-SA 4.0' },
  maxLength: 32,
};
