import { z } from 'zod';
import { classifierDef, classify } from './classifier.js';
import { defineHead } from './kind.js';
import { argmaxRows, checkClasses, crossEntropy } from './losses.js';
import { dropout, hiddenSize, labels } from './schema-parts.js';
import { checkPositions, pairRows } from './select.js';

const schema = z.object({ kind: z.literal('relation-classification'), hiddenSize, labels, dropout });

/** TACRED: cat of the subject and object marker rows, single-label. */
export type RelationClassificationConfig = z.infer<typeof schema>;

/**
 * Relation classification (official TACREDModel head):
 * logits = out_proj(dropout(dense(cat[feat[b, subj], feat[b, obj]]))), cross entropy, argmax.
 * Selectors `subj`, `obj`: int32 [B]; label `labels`: class ids int32 [B].
 */
export const relationClassification = defineHead({
  kind: 'relation-classification',
  description: 'relation classification (TACREDModel): cat[subj row, obj row] -> dense -> out_proj',
  schema,
  selectors: ['subj', 'obj'],
  labels: ['labels'],
  classes: (c: RelationClassificationConfig) => c.labels,
  params: (c: RelationClassificationConfig) => classifierDef(2 * c.hiddenSize, c.hiddenSize, c.labels.length),
  forward: (o, p, c, features, s, options) => ({
    logits: classify(o, pairRows(o, features, s.subj, s.obj), p, c.dropout, options),
  }),
  loss: (o, logits, l) => crossEntropy(o, logits, l.labels),
  checkSelectors: (_c, s, shape) => {
    checkPositions(s.subj, shape, 'subj');
    checkPositions(s.obj, shape, 'obj');
  },
  checkLabels: (c, l) => checkClasses(l.labels, c.labels.length),
  predict: (c, logits) => argmaxRows(logits).map((i) => c.labels[i] as string),
});
