import { fixtureVectors, fixtureWeights, tensorOf } from '@kadapter/test-fixtures';
import { describeBackends, expectClose, expectScalarClose, PARITY } from '@kadapter/test-utils';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type HeadConfigBase, headFromWeights, headKind, linPretraining, multipleChoice } from '../src/index.js';
import { H, OPENENTITY_LABELS } from './fixture.js';

const names = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

describeBackends('head parity with the official heads', () => {
  let v: Map<string, tf.Tensor>;
  beforeAll(async () => {
    v = await fixtureVectors('core.', 'trex.', 'find_head.', 'cosmosqa.');
  });
  afterAll(() => {
    for (const t of v.values()) t.dispose();
  });

  /** Classifier heads: weights file, config, what they read, and the reference logits/loss/labels. */
  const classifiers: Array<{
    title: string;
    file: string[];
    keep?: string[];
    config: HeadConfigBase;
    features: string;
    selectors: Record<string, string>;
    ref: string;
    labels: string;
  }> = [
    {
      title: 'entity typing (ETModel): logits and BCE loss',
      file: ['heads', 'entity_typing.safetensors'],
      config: { kind: 'entity-typing', hiddenSize: H, labels: OPENENTITY_LABELS, dropout: 0.1 },
      features: 'core.fusion.concat_both',
      selectors: { marker: 'core.et.start_index' },
      ref: 'core.et',
      labels: 'core.et.labels',
    },
    {
      title: 'relation classification (TACREDModel): logits and CE loss',
      file: ['heads', 'relation_classification.safetensors'],
      config: { kind: 'relation-classification', hiddenSize: H, labels: names('r', 5), dropout: 0.1 },
      features: 'core.fusion.concat_both',
      selectors: { subj: 'core.rc.subj_index', obj: 'core.rc.obj_index' },
      ref: 'core.rc',
      labels: 'core.rc.labels',
    },
    {
      title: 'fac pre-training head (fac-adapter.py AdapterModel): logits and CE loss on the trex batch',
      file: ['fac-adapter', 'model.safetensors'],
      keep: ['com_dense.', 'dense.', 'out_proj.'],
      config: { kind: 'fac-pretraining', hiddenSize: H, labels: names('P', 10), dropout: 0.1 },
      features: 'trex.fac_adapter_out',
      selectors: { last: 'trex.hidden_last', subj: 'trex.subj_index', obj: 'trex.obj_index' },
      ref: 'trex.fac_head',
      labels: 'trex.label_id',
    },
  ];
  for (const c of classifiers) {
    it(c.title, async () => {
      const file = c.file.join('/');
      const w = await fixtureWeights(c.file, ...(c.keep ?? []));
      const head = headFromWeights(headKind(c.config.kind), c.config, w, file);
      const selectors = Object.fromEntries(Object.entries(c.selectors).map(([k, n]) => [k, tensorOf(v, n)]));
      const logits = head.apply(tensorOf(v, c.features), selectors);
      expectClose(logits, tensorOf(v, `${c.ref}.logits`), `${c.ref}.logits`, PARITY);
      const loss = head.loss(logits, tensorOf(v, c.labels));
      expectScalarClose(loss, tensorOf(v, `${c.ref}.loss`), `${c.ref}.loss`, PARITY);
      tf.dispose([...w.values(), logits, loss]);
      head.dispose();
    });
  }

  it('lin pre-training head (lin-adapter.py AdapterModel): logits, attention probabilities, masked CE loss', async () => {
    const w = await fixtureWeights(
      ['lin-adapter', 'model.safetensors'],
      'com_dense.',
      'dense.',
      'out_proj.',
      'self_attention.',
    );
    const cfg = { kind: 'lin-pretraining' as const, hiddenSize: H, numClasses: 32, dropout: 0.1, layerNormEps: 1e-5 };
    const head = headFromWeights(linPretraining, cfg, w, 'lin-adapter/model.safetensors');
    const mask = tf.cast(tensorOf(v, 'find_head.input_mask'), 'float32') as tf.Tensor2D;
    const { logits, attentionProbs } = head.forward(tensorOf(v, 'find_head.lin_adapter_out') as tf.Tensor3D, {
      last: tensorOf(v, 'find_head.hidden_last') as tf.Tensor3D,
      mask,
    });
    expectClose(logits, tensorOf(v, 'find_head.lin_head.logits'), 'lin logits', PARITY);
    expectClose(
      attentionProbs as tf.Tensor,
      tensorOf(v, 'find_head.lin_head.attention_probs'),
      'lin attention probs',
      PARITY,
    );
    const loss = head.loss(logits, { labels: tensorOf(v, 'find_head.label_ids') as tf.Tensor2D, mask });
    expectScalarClose(loss, tensorOf(v, 'find_head.lin_head.loss'), 'lin loss', PARITY);
    tf.dispose([...w.values(), mask, logits, attentionProbs, loss]);
    head.dispose();
  });

  it('multiple choice (COSMOSQAModel, recommended variant): logits and CE loss', async () => {
    const w = await fixtureWeights(['heads', 'multiple_choice.safetensors']);
    const head = headFromWeights(
      multipleChoice,
      { kind: 'multiple-choice', hiddenSize: H, numChoices: 4, dropout: 0.1 },
      w,
      'heads/multiple_choice.safetensors',
    );
    const fused = tf.reshape(tensorOf(v, 'cosmosqa.fused_features'), [8, 48, H]) as tf.Tensor3D;
    const logits = head.apply(fused);
    expectClose(logits, tensorOf(v, 'cosmosqa.mc.logits'), 'mc logits', PARITY);
    const loss = head.loss(logits, tensorOf(v, 'cosmosqa.label') as tf.Tensor1D);
    expectScalarClose(loss, tensorOf(v, 'cosmosqa.mc.loss'), 'mc loss', PARITY);
    const best = tf.tidy(() => Array.from(tf.argMax(tensorOf(v, 'cosmosqa.mc.logits'), -1).dataSync()));
    expect(head.predict(logits)).toEqual(best);
    tf.dispose([...w.values(), fused, logits, loss]);
    head.dispose();
  });
});
