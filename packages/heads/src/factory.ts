import { type ParamDef, ParamSet, type ParamSetOptions } from '@kadapter/nn';
import type * as tf from '@tensorflow/tfjs';
import { type HeadConfig, validateHeadConfig } from './config.js';
import { EntityTypingHead } from './entity-typing.js';
import { FacPretrainingHead } from './fac-pretraining.js';
import { LinPretrainingHead } from './lin-pretraining.js';
import { MultipleChoiceHead } from './multiple-choice.js';
import { RelationClassificationHead } from './relation-classification.js';
import { SpanExtractionHead } from './span-extraction.js';

/** Every head of this package: each has its `config` and PyTorch-named `weights()`, so it can be saved. */
export type AnyHead =
  | EntityTypingHead
  | RelationClassificationHead
  | MultipleChoiceHead
  | SpanExtractionHead
  | FacPretrainingHead
  | LinPretrainingHead;

/** The head class each config kind builds. */
export interface HeadsByKind {
  'entity-typing': EntityTypingHead;
  'relation-classification': RelationClassificationHead;
  'multiple-choice': MultipleChoiceHead;
  'span-extraction': SpanExtractionHead;
  'fac-pretraining': FacPretrainingHead;
  'lin-pretraining': LinPretrainingHead;
}

/** The head class a config builds (`createHead({ kind: 'entity-typing', ... })` is an EntityTypingHead). */
export type HeadFor<C extends HeadConfig> = HeadsByKind[C['kind']];

type MakeParams = <P>(def: ParamDef<P>) => ParamSet<P>;

function build(config: HeadConfig, params: MakeParams): AnyHead {
  switch (config.kind) {
    case 'entity-typing':
      return new EntityTypingHead(config, params(EntityTypingHead.def(config)));
    case 'relation-classification':
      return new RelationClassificationHead(config, params(RelationClassificationHead.def(config)));
    case 'multiple-choice':
      return new MultipleChoiceHead(config, params(MultipleChoiceHead.def(config)));
    case 'span-extraction':
      return new SpanExtractionHead(config, params(SpanExtractionHead.def(config)));
    case 'fac-pretraining':
      return new FacPretrainingHead(config, params(FacPretrainingHead.def(config)));
    case 'lin-pretraining':
      return new LinPretrainingHead(config, params(LinPretrainingHead.def(config)));
  }
}

/** A freshly initialised head (PyTorch default init, as the official heads). */
export function createHead<C extends HeadConfig>(
  config: C,
  options: ParamSetOptions & { seed?: number } = {},
): HeadFor<C> {
  validateHeadConfig(config);
  return build(config, (def) => ParamSet.create(def, options)) as HeadFor<C>;
}

/**
 * A head from official-named tensors (`dense.*`, `out_proj.*`, `classifier.*`, `com_dense.*`,
 * `self_attention.*`, `qa_outputs.*`), verified: one error names every missing, extra or
 * misshaped tensor, with `source` as the file. `ignore` tolerates extra tensors by name.
 */
export function headFromWeights<C extends HeadConfig>(
  config: C,
  named: ReadonlyMap<string, tf.Tensor>,
  source: string,
  options: ParamSetOptions & { ignore?: (name: string) => boolean } = {},
): HeadFor<C> {
  validateHeadConfig(config, source);
  return build(config, (def) => ParamSet.fromWeights(def, named, source, options)) as HeadFor<C>;
}
