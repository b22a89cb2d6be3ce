import { z } from 'zod';
import { classifierDef, classify } from './classifier.js';
import { defineHead } from './kind.js';
import { bceWithLogits } from './losses.js';
import { dropout, hiddenSize, labels } from './schema-parts.js';
import { checkPositions, rowsAt } from './select.js';

const schema = z.object({ kind: z.literal('entity-typing'), hiddenSize, labels, dropout });

/** OpenEntity / FIGER: the row at the first marker, multi-label. */
export type EntityTypingConfig = z.infer<typeof schema>;

/**
 * Entity typing (official ETModel / FIGERModel head): logits = out_proj(dropout(dense(feat[b, marker]))),
 * BCE-with-logits over multi-hot labels [B, C], type i predicted iff logit_i > 0 (OpenEntity's rule).
 * Selector `marker`: int32 [B].
 */
export const entityTyping = defineHead({
  kind: 'entity-typing',
  description: 'entity typing (ETModel/FIGERModel): marker row -> dense -> out_proj, multi-label',
  schema,
  selectors: ['marker'],
  labels: ['labels'],
  classes: (c: EntityTypingConfig) => c.labels,
  params: (c: EntityTypingConfig) => classifierDef(c.hiddenSize, c.hiddenSize, c.labels.length),
  forward: (o, p, c, features, s, options) => ({
    logits: classify(o, rowsAt(o, features, s.marker), p, c.dropout, options),
  }),
  loss: (o, logits, l) => bceWithLogits(o, logits, l.labels),
  checkSelectors: (_c, s, shape) => checkPositions(s.marker, shape, 'marker'),
  predict: (c, logits) => {
    const n = c.labels.length;
    return Array.from({ length: logits.data.length / n }, (_, r) =>
      c.labels.filter((_, i) => (logits.data[r * n + i] as number) > 0),
    );
  },
});
