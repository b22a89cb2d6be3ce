import { record } from '@kadapter/nn';
import { z } from 'zod';
import { defineFusion } from './kind.js';
import { adapters } from './schema-parts.js';

const schema = z.object({ kind: z.literal('add'), adapters });

/** `h_last + Σ a_n`, no parameters (the official `add` mode, kadapter-spec.md §3.2). */
export type AddFusionConfig = z.infer<typeof schema>;

export const addFusion = defineFusion({
  kind: 'add',
  description: 'add fusion (official add mode): last + sum of the adapter outputs, no parameters',
  schema,
  params: () => record({}),
  forward: (o, _p, _c, last, outputs) => ({ output: outputs.reduce((sum, a) => o.add(sum, a), last) }),
});
