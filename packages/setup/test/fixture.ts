import { OPENENTITY_TYPES } from '@kadapter/data-encode';
import { KAdapterStack } from '@kadapter/adapter';
import { loadBackbone } from '@kadapter/backbone';
import type { AdapterConfig } from '@kadapter/core';
import { tinyAdapterConfig } from '@kadapter/demo-data';
import { type ConcatFusionConfig, concatFusion, fusionFromWeights } from '@kadapter/fusion';
import {
  entityTyping,
  type HeadModule,
  headFromWeights,
  multipleChoice,
  relationClassification,
} from '@kadapter/heads';
import { fixtureWeights, tensorOf } from '@kadapter/test-fixtures';
import { EXACT, expectClose, tinyFixture } from '@kadapter/test-utils';
import * as tf from '@tensorflow/tfjs';
import { KAdapterSetup } from '../src/index.js';

/** Adapter sizes of the tiny fixture (config.json `kadapter_tiny`). */
export const TINY_CONFIG: AdapterConfig = tinyAdapterConfig();
export const H = 64;
/** OpenEntity's 9 types in the official order. */
export const OPENENTITY_LABELS = [...OPENENTITY_TYPES];

/** What `build` makes from a fixture weights file (it copies them: the loaded tensors are disposed after). */
async function fromFixtureWeights<T>(
  file: string[],
  build: (named: Map<string, tf.Tensor>) => T,
  ...prefixes: string[]
): Promise<T> {
  const named = await fixtureWeights(file, ...prefixes);
  try {
    return build(named);
  } finally {
    tf.dispose([...named.values()]);
  }
}

export function tinyStack(which: 'fac' | 'lin', trainable = false): Promise<KAdapterStack> {
  return fromFixtureWeights(
    [`${which}-adapter`, 'model.safetensors'],
    (named) =>
      KAdapterStack.fromWeights(which, TINY_CONFIG, H, named, `${which}-adapter/model.safetensors`, { trainable }),
    'adapter.',
  );
}

/**
 * The tiny composition of the fixture: backbone, fac + lin adapters, the official concat fusion
 * (optionally with the as-released CosmosQA inner projection), and the fixture's task heads.
 */
export async function tinySetup(options: { innerProjection?: boolean } = {}): Promise<KAdapterSetup> {
  const backbone = await loadBackbone(tinyFixture());
  const fusionConfig: ConcatFusionConfig = {
    kind: 'concat',
    adapters: ['fac', 'lin'],
    hiddenSize: H,
    ...(options.innerProjection ? { innerProjection: { aRate: 1, bRate: 1 } } : {}),
  };
  const fusionWeights = await fixtureWeights(['fusion', 'model.safetensors']);
  if (options.innerProjection) {
    for (const [n, t] of await fixtureWeights(['heads', 'cosmosqa_inner_task_dense.safetensors']))
      fusionWeights.set(n, t);
  }
  const fusion = fusionFromWeights(concatFusion, fusionConfig, fusionWeights, 'fusion/model.safetensors');
  tf.dispose([...fusionWeights.values()]);
  const heads = new Map<string, HeadModule>([
    [
      'et',
      await fromFixtureWeights(['heads', 'entity_typing.safetensors'], (named) =>
        headFromWeights(
          entityTyping,
          { kind: 'entity-typing', hiddenSize: H, labels: OPENENTITY_LABELS, dropout: 0.1 },
          named,
          'entity_typing.safetensors',
        ),
      ),
    ],
    [
      'rc',
      await fromFixtureWeights(['heads', 'relation_classification.safetensors'], (named) =>
        headFromWeights(
          relationClassification,
          { kind: 'relation-classification', hiddenSize: H, labels: ['r0', 'r1', 'r2', 'r3', 'r4'], dropout: 0.1 },
          named,
          'relation_classification.safetensors',
        ),
      ),
    ],
    [
      'mc',
      await fromFixtureWeights(['heads', 'multiple_choice.safetensors'], (named) =>
        headFromWeights(
          multipleChoice,
          { kind: 'multiple-choice', hiddenSize: H, numChoices: 4, dropout: 0.1 },
          named,
          'multiple_choice.safetensors',
        ),
      ),
    ],
  ]);
  return new KAdapterSetup({
    backbone,
    adapters: new Map([
      ['fac', await tinyStack('fac')],
      ['lin', await tinyStack('lin')],
    ]),
    fusion,
    heads,
    pretraining: new Map([
      ['fac', { task: 'fac' }],
      ['lin', { task: 'lin' }],
    ]),
  });
}

/** `a` and `b` give identical relation-classification logits on the fixture's core batch (`core.*` of `v`). */
export function expectSameRcLogits(a: KAdapterSetup, b: KAdapterSetup, v: ReadonlyMap<string, tf.Tensor>): void {
  const input = {
    inputIds: tensorOf<tf.Tensor2D>(v, 'core.input_ids'),
    attentionMask: tensorOf<tf.Tensor2D>(v, 'core.attention_mask'),
  };
  const sel = { subj: tensorOf(v, 'core.rc.subj_index'), obj: tensorOf(v, 'core.rc.obj_index') };
  const logits = [a.logits('rc', input, sel), b.logits('rc', input, sel)] as const;
  expectClose(logits[0], logits[1], 'rc', EXACT);
  tf.dispose([...logits]);
}
