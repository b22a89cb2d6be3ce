import { init, linear, linearDef, prefixed, record } from '@kadapter/nn';
import { z } from 'zod';
import { defineFusion } from './kind.js';
import { adapters, hiddenSize } from './schema-parts.js';

const schema = z.object({ kind: z.literal('attention'), adapters, hiddenSize, residual: z.boolean() });

/**
 * AdapterFusion-style attention (beyond the original): per token, softmax over the adapters of
 * `query(h_last)·key(a_n)/√H`, output `Σ p_n·value(a_n)` (+ h_last when `residual`).
 */
export type AttentionFusionConfig = z.infer<typeof schema>;

const PREFIX = 'attention_fusion';

/**
 * Attention fusion. `value` starts as the identity (AdapterFusion), so at init the output mixes the
 * raw adapter outputs; query and key get PyTorch's default init. Extra output `probs` [B, L, N]:
 * each token's weight of each adapter (N in `adapters` order).
 */
export const attentionFusion = defineFusion({
  kind: 'attention',
  description: 'attention fusion (AdapterFusion-style): per-token softmax over the adapters',
  schema,
  params: (c: AttentionFusionConfig) => {
    const h = c.hiddenSize;
    return record({
      query: prefixed(`${PREFIX}.query`, linearDef(h, h)),
      key: prefixed(`${PREFIX}.key`, linearDef(h, h)),
      value: prefixed(`${PREFIX}.value`, linearDef(h, h, { init: { weight: init.eye, bias: init.zeros } })),
    });
  },
  forward: (o, p, c, last, outputs) => {
    const q = linear(o, last, p.query);
    const scale = 1 / Math.sqrt(c.hiddenSize);
    const [b, l] = o.shape(last) as [number, number];
    const scores = outputs.map((a) => o.reshape(o.mul(o.sum(o.mul(q, linear(o, a, p.key)), -1), scale), [b, l, 1]));
    const probs = o.softmax(o.concat(scores, -1));
    const mixed = outputs.map((a, i) => o.mul(o.slice(probs, [0, 0, i], [b, l, 1]), linear(o, a, p.value)));
    const sum = mixed.reduce((acc, m) => o.add(acc, m));
    return { output: c.residual ? o.add(sum, last) : sum, probs };
  },
});
