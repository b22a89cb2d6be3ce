import { defaultAdapterConfig, type KnowledgeAdapterModule, type Task } from '@kadapter/core';
import { getEncoder } from '@kadapter/data-encode';
import { tokenAccuracyMetric } from '@kadapter/train';
import { linguisticSample } from './sample.js';

/** Dropout and LayerNorm epsilon of the pre-training head (the backbone's, lin-adapter.py). */
const HEAD_DROPOUT = 0.1;
const HEAD_LAYER_NORM_EPS = 1e-5;

/**
 * The linguistic adapter's pre-training (lin-adapter.py, kadapter-spec.md §4.2): dependency head
 * prediction. The `find_head` encoder writes input ids, the attention mask and each position's
 * head label (faithful word-aligned labels unless the encoder option `findHeadLabels` is
 * `aligned`); the `lin-pretraining` head classifies every position into one of L positions, so its
 * class count is the padded length. The loss and the token accuracy count the positions of the
 * attention mask, as the official loss does.
 */
const headPrediction: Task = {
  name: 'find_head',
  description: 'dependency head prediction: the position of the head word of every token',
  encoder: getEncoder('find_head'),
  head: (ctx) => ({
    kind: 'lin-pretraining',
    hiddenSize: ctx.hiddenSize,
    numClasses: ctx.maxLength,
    dropout: HEAD_DROPOUT,
    layerNormEps: HEAD_LAYER_NORM_EPS,
  }),
  inputs: {
    selectors: { last: { backbone: 'last' }, mask: { backbone: 'mask' } },
    labels: { labels: { feature: 'labels' }, mask: { feature: 'attention_mask' } },
  },
  metrics: tokenAccuracyMetric(),
};

const { taps: _taps, ...adapter } = defaultAdapterConfig();

/**
 * The linguistic knowledge-adapter module. The official adapter (3 layers of 2 BERT layers, size
 * 768) without `taps`: the official 0,11,22 apply to 24-layer backbones, other depths need them
 * given. Pre-training at 64 tokens (the official scripts' max_seq_length) on the bundled UD EWT
 * sample unless data is given.
 */
export const linguistic: KnowledgeAdapterModule = {
  name: 'linguistic',
  // the contract this module was written against (not core's CONTRACT_VERSION: a core with
  // another major must refuse it)
  contractVersion: '2.0.0',
  description: 'linguistic knowledge: syntax, pre-trained on dependency head prediction',
  adapter,
  pretraining: headPrediction,
  sample: linguisticSample,
  maxLength: 64,
};
