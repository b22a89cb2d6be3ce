import type { ForwardOptions, Head } from '@kadapter/nn';
import * as tf from '@tensorflow/tfjs';
import { type ClassifierParams, classifierDef, classify, pairRows } from './classifier.js';
import type { RelationClassificationConfig } from './config.js';
import { SingleLabelHead } from './single-label.js';

/** Subject and object marker positions, int32 [B] each. */
export interface PairSelectors {
  subj: tf.Tensor1D;
  obj: tf.Tensor1D;
}

/**
 * Relation classification (official TACREDModel head):
 * logits = out_proj(dropout(dense(cat[feat[b, subj], feat[b, obj]]))), cross entropy, argmax.
 */
export class RelationClassificationHead
  extends SingleLabelHead<RelationClassificationConfig, ClassifierParams>
  implements Head<PairSelectors, tf.Tensor1D, string[]>
{
  readonly kind = 'relation-classification';

  static def(c: RelationClassificationConfig) {
    return classifierDef(2 * c.hiddenSize, c.hiddenSize, c.labels.length);
  }

  apply(features: tf.Tensor3D, selectors: PairSelectors, options: ForwardOptions = {}): tf.Tensor2D {
    return tf.tidy(() =>
      classify(
        pairRows(features, selectors.subj, selectors.obj),
        this.p,
        this.config.dropout,
        options.training ?? false,
      ),
    );
  }
}
