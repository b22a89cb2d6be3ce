import { ConfigError, defaultAdapterConfig, type KnowledgeAdapterModule, type Task } from '@kadapter/core';
import { accuracyMetric } from '@kadapter/train';
import { type RelationLabels, trexTaskEncoder } from './relation-labels.js';
import { factualSample } from './sample.js';

/** Dropout of the pre-training head (the backbone's hidden_dropout_prob, fac-adapter.py). */
const HEAD_DROPOUT = 0.1;

export interface FactualModuleOptions {
  /** the relation labels (default `official`, the 410 of the official code) */
  labels?: RelationLabels;
}

/**
 * The factual adapter's pre-training (fac-adapter.py, kadapter-spec.md §4.1): T-REx relation
 * classification. The `trex` encoder writes input ids, the subject and object marker positions and
 * the relation id; the `fac-pretraining` head reads the backbone's last layer beside the adapter
 * output at both markers; accuracy (the official micro F1 on single-label data).
 */
function relationClassification(labels: RelationLabels): Task {
  return {
    name: 'trex',
    description: 'T-REx relation classification: the relation between a marked subject and object',
    encoder: trexTaskEncoder(labels),
    head(ctx) {
      if (!ctx.labels || ctx.labels.length === 0)
        throw new ConfigError("the fac-pretraining head needs the relation labels (the encoder's labelNames)", {
          field: 'labels',
        });
      return { kind: 'fac-pretraining', hiddenSize: ctx.hiddenSize, labels: [...ctx.labels], dropout: HEAD_DROPOUT };
    },
    inputs: {
      selectors: { last: { backbone: 'last' }, subj: { feature: 'subj_marker' }, obj: { feature: 'obj_marker' } },
      labels: { labels: { feature: 'labels' } },
    },
    metrics: accuracyMetric(),
  };
}

/**
 * A factual knowledge-adapter module. The official adapter (3 layers of 2 BERT layers, size 768)
 * without `taps`: the official 0,11,22 apply to 24-layer backbones, other depths need them given.
 * Pre-training at 64 tokens (the official scripts' max_seq_length) on the bundled T-REx sample
 * unless data is given.
 */
export function createFactualModule(options: FactualModuleOptions = {}): KnowledgeAdapterModule {
  const { taps: _taps, ...adapter } = defaultAdapterConfig();
  return {
    name: 'factual',
    // the contract this module was written against (not core's CONTRACT_VERSION: a core with
    // another major must refuse it)
    contractVersion: '2.0.0',
    description: 'factual knowledge: relations between entities, pre-trained on T-REx relation classification',
    adapter,
    pretraining: relationClassification(options.labels ?? 'official'),
    sample: factualSample,
    maxLength: 64,
  };
}

/** The factual module with the official 410 relation labels (what the package default-exports). */
export const factual: KnowledgeAdapterModule = createFactualModule();
