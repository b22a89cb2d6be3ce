import type { BackboneInput } from '@kadapter/nn';
import { fixtureVectors, tensorOf } from '@kadapter/test-fixtures';
import { describeBackends, expectClose, expectScalarClose, PARITY } from '@kadapter/test-utils';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, it } from 'vitest';
import type { KAdapterSetup } from '../src/index.js';
import { H, tinySetup } from './fixture.js';

/** The whole official pipeline, from token ids to task logits, against the fixture. */
describeBackends('tiny composition parity (backbone → adapters → fusion → heads)', () => {
  let setup: KAdapterSetup;
  let v: Map<string, tf.Tensor>;
  beforeAll(async () => {
    setup = await tinySetup();
    v = await fixtureVectors('core.', 'openentity.', 'cosmosqa.');
  });
  afterAll(() => {
    setup.dispose();
    for (const t of v.values()) t.dispose();
  });

  const input = (ids: string, mask: string): BackboneInput => ({
    inputIds: tensorOf(v, ids) as tf.Tensor2D,
    attentionMask: tensorOf(v, mask) as tf.Tensor2D,
  });

  it('core batch: fused features = official concat fusion; RC logits and loss (TACREDModel)', () => {
    const core = input('core.input_ids', 'core.attention_mask');
    const features = setup.features(core);
    expectClose(features, tensorOf(v, 'core.fusion.concat_both'), 'concat_both', PARITY);
    const logits = setup.logits('rc', core, {
      subj: tensorOf(v, 'core.rc.subj_index'),
      obj: tensorOf(v, 'core.rc.obj_index'),
    });
    expectClose(logits, tensorOf(v, 'core.rc.logits'), 'rc logits', PARITY);
    const loss = setup.head('rc').loss(logits as never, tensorOf(v, 'core.rc.labels') as never);
    expectScalarClose(loss, tensorOf(v, 'core.rc.loss'), 'rc loss', PARITY);
    tf.dispose([features, logits, loss]);
  });

  it('OpenEntity features: ETModel logits and BCE loss from token ids', () => {
    const oe = input('openentity.input_ids', 'openentity.input_mask');
    const logits = setup.logits('et', oe, { marker: tensorOf(v, 'openentity.start_index') });
    expectClose(logits, tensorOf(v, 'openentity.et.logits'), 'openentity et logits', PARITY);
    const loss = setup.head('et').loss(logits as tf.Tensor2D, tensorOf(v, 'openentity.labels') as never);
    expectScalarClose(loss, tensorOf(v, 'openentity.et.loss'), 'openentity et loss', PARITY);
    tf.dispose([logits, loss]);
  });

  /** The CosmosQA batch: 2 questions × 4 choices flattened to 8 sequences of 48 (pad id 0); the caller disposes it. */
  const cosmos = (): BackboneInput => ({
    inputIds: tf.reshape(tensorOf(v, 'cosmosqa.input_ids'), [8, 48]) as tf.Tensor2D,
    attentionMask: tf.reshape(tensorOf(v, 'cosmosqa.input_mask'), [8, 48]) as tf.Tensor2D,
  });

  /** Multiple-choice logits and loss of `s` against `cosmosqa.<ref>.*`. */
  const expectChoices = (s: KAdapterSetup, ref: string) => {
    const input = cosmos();
    const logits = s.logits('mc', input, undefined);
    expectClose(logits, tensorOf(v, `cosmosqa.${ref}.logits`), `${ref} logits`, PARITY);
    const loss = s.head('mc').loss(logits as never, tensorOf(v, 'cosmosqa.label') as never);
    expectScalarClose(loss, tensorOf(v, `cosmosqa.${ref}.loss`), `${ref} loss`, PARITY);
    tf.dispose([input.inputIds, input.attentionMask, logits, loss]);
  };

  it('CosmosQA (recommended variant): fused features, logits and loss over 4 choices (pad id 0)', () => {
    const input = cosmos();
    const features = setup.features(input);
    tf.tidy(() =>
      expectClose(features, tf.reshape(tensorOf(v, 'cosmosqa.fused_features'), [8, 48, H]), 'cosmosqa fused', PARITY),
    );
    tf.dispose([input.inputIds, input.attentionMask, features]);
    expectChoices(setup, 'mc');
  });

  it('CosmosQA as released (inner task_dense with a_rate = b_rate = 1): logits and loss', async () => {
    const released = await tinySetup({ innerProjection: true });
    expectChoices(released, 'mc_released');
    released.dispose();
  });
});
