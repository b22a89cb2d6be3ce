import { describeBackends, expectClose } from '@kadapter/test-utils';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  type EntityTypingHead,
  type FacPretrainingHead,
  headFromWeights,
  type LinPretrainingHead,
  type MultipleChoiceHead,
  type RelationClassificationHead,
} from '../src/index.js';
import { get, H, OPENENTITY_LABELS, vectors, weights } from './fixture.js';

const names = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

describeBackends('head parity with the official heads', () => {
  let v: Map<string, tf.Tensor>;
  beforeAll(async () => {
    v = await vectors('core.', 'trex.', 'find_head.', 'cosmosqa.');
  });
  afterAll(() => {
    for (const t of v.values()) t.dispose();
  });

  it('entity typing (ETModel): logits and BCE loss', async () => {
    const w = await weights(['heads', 'entity_typing.safetensors']);
    const cfg = { kind: 'entity-typing' as const, hiddenSize: H, labels: OPENENTITY_LABELS, dropout: 0.1 };
    const head = headFromWeights(cfg, w, 'heads/entity_typing.safetensors') as EntityTypingHead;
    const logits = head.apply(get(v, 'core.fusion.concat_both') as tf.Tensor3D, {
      marker: get(v, 'core.et.start_index') as tf.Tensor1D,
    });
    expectClose(logits, get(v, 'core.et.logits'), 'et logits');
    expectClose(
      head.loss(logits, get(v, 'core.et.labels') as tf.Tensor2D),
      get(v, 'core.et.loss').reshape([]),
      'et loss',
    );
    head.dispose();
  });

  it('relation classification (TACREDModel): logits and CE loss', async () => {
    const w = await weights(['heads', 'relation_classification.safetensors']);
    const cfg = { kind: 'relation-classification' as const, hiddenSize: H, labels: names('r', 5), dropout: 0.1 };
    const head = headFromWeights(cfg, w, 'heads/relation_classification.safetensors') as RelationClassificationHead;
    const logits = head.apply(get(v, 'core.fusion.concat_both') as tf.Tensor3D, {
      subj: get(v, 'core.rc.subj_index') as tf.Tensor1D,
      obj: get(v, 'core.rc.obj_index') as tf.Tensor1D,
    });
    expectClose(logits, get(v, 'core.rc.logits'), 'rc logits');
    expectClose(
      head.loss(logits, get(v, 'core.rc.labels') as tf.Tensor1D),
      get(v, 'core.rc.loss').reshape([]),
      'rc loss',
    );
    head.dispose();
  });

  it('fac pre-training head (fac-adapter.py AdapterModel): logits and CE loss on the trex batch', async () => {
    const w = await weights(['fac-adapter', 'model.safetensors'], 'com_dense.', 'dense.', 'out_proj.');
    const cfg = { kind: 'fac-pretraining' as const, hiddenSize: H, labels: names('P', 10), dropout: 0.1 };
    const head = headFromWeights(cfg, w, 'fac-adapter/model.safetensors') as FacPretrainingHead;
    const logits = head.apply(get(v, 'trex.fac_adapter_out') as tf.Tensor3D, {
      last: get(v, 'trex.hidden_last') as tf.Tensor3D,
      subj: get(v, 'trex.subj_index') as tf.Tensor1D,
      obj: get(v, 'trex.obj_index') as tf.Tensor1D,
    });
    expectClose(logits, get(v, 'trex.fac_head.logits'), 'fac logits');
    expectClose(
      head.loss(logits, get(v, 'trex.label_id') as tf.Tensor1D),
      get(v, 'trex.fac_head.loss').reshape([]),
      'fac loss',
    );
    head.dispose();
  });

  it('lin pre-training head (lin-adapter.py AdapterModel): logits, attention probabilities, masked CE loss', async () => {
    const w = await weights(
      ['lin-adapter', 'model.safetensors'],
      'com_dense.',
      'dense.',
      'out_proj.',
      'self_attention.',
    );
    const cfg = { kind: 'lin-pretraining' as const, hiddenSize: H, numClasses: 32, dropout: 0.1, layerNormEps: 1e-5 };
    const head = headFromWeights(cfg, w, 'lin-adapter/model.safetensors') as LinPretrainingHead;
    const mask = tf.cast(get(v, 'find_head.input_mask'), 'float32') as tf.Tensor2D;
    const { logits, attentionProbs } = head.forward(get(v, 'find_head.lin_adapter_out') as tf.Tensor3D, {
      last: get(v, 'find_head.hidden_last') as tf.Tensor3D,
      mask,
    });
    expectClose(logits, get(v, 'find_head.lin_head.logits'), 'lin logits');
    expectClose(attentionProbs, get(v, 'find_head.lin_head.attention_probs'), 'lin attention probs');
    const loss = head.loss(logits, { labels: get(v, 'find_head.label_ids') as tf.Tensor2D, mask });
    expectClose(loss, get(v, 'find_head.lin_head.loss').reshape([]), 'lin loss');
    head.dispose();
  });

  it('multiple choice (COSMOSQAModel, recommended variant): logits and CE loss', async () => {
    const w = await weights(['heads', 'multiple_choice.safetensors']);
    const head = headFromWeights(
      { kind: 'multiple-choice', hiddenSize: H, numChoices: 4, dropout: 0.1 },
      w,
      'heads/multiple_choice.safetensors',
    ) as MultipleChoiceHead;
    const fused = get(v, 'cosmosqa.fused_features');
    const logits = head.apply(tf.reshape(fused, [8, 48, H]) as tf.Tensor3D);
    expectClose(logits, get(v, 'cosmosqa.mc.logits'), 'mc logits');
    expectClose(
      head.loss(logits, get(v, 'cosmosqa.label') as tf.Tensor1D),
      get(v, 'cosmosqa.mc.loss').reshape([]),
      'mc loss',
    );
    expect(head.predict(logits)).toEqual(Array.from(tf.argMax(get(v, 'cosmosqa.mc.logits'), -1).dataSync()));
    head.dispose();
  });
});
