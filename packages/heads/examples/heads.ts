/**
 * The official entity-typing head of the tiny fixture on the fixture's fused features, then a
 * relation-classification and a span-extraction head, freshly initialised.
 *
 *   cd packages/heads && npx tsx --conditions=@kadapter/source examples/heads.ts
 */
import { initBackend } from '@kadapter/nn/runtime';
import { loadSafetensors } from '@kadapter/io';
import { tinyFixture } from '@kadapter/test-utils';
import * as tf from '@tensorflow/tfjs';
import {
  checkLabels,
  createHead,
  entityTyping,
  headFromWeights,
  relationClassification,
  spanExtraction,
} from '../src/index.js';

await initBackend();
const labels = ['entity', 'location', 'time', 'organization', 'object', 'event', 'place', 'person', 'group'];
const v = await loadSafetensors(tinyFixture('vectors.safetensors'), (n) => n.startsWith('core.'));
const features = v.get('core.fusion.concat_both') as tf.Tensor3D; // [4, 16, 64] official concat fusion

const et = headFromWeights(
  entityTyping,
  { kind: 'entity-typing', hiddenSize: 64, labels, dropout: 0.1 },
  await loadSafetensors(tinyFixture('heads', 'entity_typing.safetensors')),
  'entity_typing.safetensors',
);
checkLabels(et.config.labels, labels, 'openentity'); // a head trained on other labels is a typed error
const logits = et.apply(features, { marker: v.get('core.et.start_index') as tf.Tensor1D });
console.log(
  'entity typing logits',
  logits.shape,
  'loss',
  et
    .loss(logits, v.get('core.et.labels') as tf.Tensor2D)
    .dataSync()[0]
    ?.toFixed(6),
);
console.log('predicted types', JSON.stringify(et.predict(logits)));

const rc = createHead(
  relationClassification,
  { kind: 'relation-classification', hiddenSize: 64, labels: ['no_relation', 'org:founded_by'], dropout: 0.1 },
  { seed: 1 },
);
const subj = tf.tensor1d([1, 2, 1, 3], 'int32');
const obj = tf.tensor1d([5, 6, 4, 7], 'int32');
console.log('relation logits', rc.apply(features, { subj, obj }).shape);

const qa = createHead(spanExtraction, { kind: 'span-extraction', hiddenSize: 64, maxAnswerLength: 5 }, { seed: 1 });
const mask = tf.ones(features.shape.slice(0, 2));
console.log(
  'best spans',
  JSON.stringify(qa.predict(qa.apply(features, { mask })).map(({ start, end }) => [start, end])),
);
