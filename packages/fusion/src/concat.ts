import { linear, linearDef, type LinearDef, record } from '@kadapter/nn';
import { z } from 'zod';
import { defineFusion } from './kind.js';
import { adapters, hiddenSize } from './schema-parts.js';

const schema = z.object({
  kind: z.literal('concat'),
  adapters,
  hiddenSize,
  /**
   * The as-released CosmosQA AdapterModel (kadapter-spec.md §3.3): each adapter output is first
   * replaced by `<n>_adapter.task_dense(cat[aRate·h_last, bRate·a_n])`. Off by default (the
   * spec's recommended variant feeds the raw adapter output).
   */
  innerProjection: z.object({ aRate: z.number(), bRate: z.number() }).optional(),
});

/**
 * Concat fusion, the official K-Adapter fusion generalised to any number of adapters
 * (kadapter-spec.md §3.1): each adapter `n` gets `task_dense_<n>` = Linear(2H→H) over
 * `cat[h_last, a_n]`; with one adapter that is the output (RobertaModelwithAdapter's single-adapter
 * recipe), with N ≥ 2 `task_dense` = Linear(N·H→H) over the concatenation (N = 2: the official
 * combined fusion).
 */
export type ConcatFusionConfig = z.infer<typeof schema>;

/** Official parameter names: `task_dense_<adapter>`, `task_dense`, and `<adapter>_adapter.task_dense`. */
const perAdapter = (a: string) => `task_dense_${a}`;
const inner = (a: string) => `${a}_adapter.task_dense`;
const COMBINE = 'task_dense';

/** Concat fusion: no activation, dropout or LayerNorm anywhere, as the original; PyTorch default init. */
export const concatFusion = defineFusion({
  kind: 'concat',
  description: 'concat fusion (official, generalised to N adapters): task_dense_<n>(cat[last, a_n]), then task_dense',
  schema,
  params: (c: ConcatFusionConfig) => {
    const h = c.hiddenSize;
    const fields: Record<string, LinearDef> = {};
    for (const a of c.adapters) {
      if (c.innerProjection) fields[inner(a)] = linearDef(2 * h, h);
      fields[perAdapter(a)] = linearDef(2 * h, h);
    }
    if (c.adapters.length > 1) fields[COMBINE] = linearDef(c.adapters.length * h, h);
    return record(fields);
  },
  forward: (o, p, c, last, outputs) => {
    const features = outputs.map((a, i) => {
      const name = c.adapters[i] as string;
      const ip = c.innerProjection;
      const x = ip ? linear(o, o.concat([o.mul(last, ip.aRate), o.mul(a, ip.bRate)], -1), p[inner(name)]!) : a;
      return linear(o, o.concat([last, x], -1), p[perAdapter(name)]!);
    });
    if (features.length === 1) return { output: features[0]! };
    return { output: linear(o, o.concat(features, -1), p[COMBINE]!) };
  },
});
