import type { ForwardOptions, Head } from '@kadapter/nn';
import { linear, type LinearParams, linearsDef } from '@kadapter/nn';
import * as tf from '@tensorflow/tfjs';
import { type ClassifierParams, classify, pairRows } from './classifier.js';
import type { FacPretrainingConfig } from './config.js';
import type { PairSelectors } from './relation-classification.js';
import { SingleLabelHead } from './single-label.js';

type FacParams = ClassifierParams & Record<'com_dense', LinearParams>;

/** What the pre-training heads read besides the adapter output: the backbone's last layer. */
export interface WithLast {
  last: tf.Tensor3D;
}

/** `com_dense(cat[h_last, adapter])`, the pre-training heads' own fusion. */
export function combine(last: tf.Tensor3D, adapter: tf.Tensor3D, comDense: LinearParams): tf.Tensor3D {
  return tf.tidy(() => linear(tf.concat([last, adapter], -1) as tf.Tensor3D, comDense));
}

/**
 * The fac-adapter pre-training head (official fac-adapter.py AdapterModel, kadapter-spec.md §4.1):
 * com = com_dense(cat[h_last, adapter_out]); logits = out_proj(dropout(dense(cat[com[subj], com[obj]]))).
 * `apply` takes the adapter output as features and the backbone's last layer in the selectors.
 */
export class FacPretrainingHead
  extends SingleLabelHead<FacPretrainingConfig, FacParams>
  implements Head<PairSelectors & WithLast, tf.Tensor1D, string[]>
{
  readonly kind = 'fac-pretraining';

  static def(c: FacPretrainingConfig) {
    const h = c.hiddenSize;
    return linearsDef({ com_dense: [2 * h, h], dense: [2 * h, h], out_proj: [h, c.labels.length] });
  }

  apply(adapterOutput: tf.Tensor3D, selectors: PairSelectors & WithLast, options: ForwardOptions = {}): tf.Tensor2D {
    return tf.tidy(() => {
      const com = combine(selectors.last, adapterOutput, this.p.com_dense);
      return classify(
        pairRows(com, selectors.subj, selectors.obj),
        this.p,
        this.config.dropout,
        options.training ?? false,
      );
    });
  }
}
