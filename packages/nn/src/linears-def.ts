import { torchDefaultLinear } from './init.js';
import type { LinearParams } from './linear.js';
import type { ParamDef } from './param-set.js';
import { linearSpec, type WeightSpec } from './weights.js';

/** Input and output width of each named linear layer (PyTorch `nn.Linear(in, out)`). */
export type LinearDims<K extends string> = Readonly<Record<K, readonly [number, number]>>;

/**
 * A ParamDef for a set of linear layers named `<key>.weight` / `<key>.bias`, initialised with
 * PyTorch's defaults (U(±1/√in) for weight and bias), as every fusion and task linear of the
 * official code (kadapter-spec.md §1.4).
 */
export function linearsDef<K extends string>(dims: LinearDims<K>): ParamDef<Record<K, LinearParams>> {
  const keys = Object.keys(dims) as K[];
  const spec: WeightSpec = new Map();
  for (const k of keys) for (const [n, s] of linearSpec(`${k}.`, dims[k][0], dims[k][1])) spec.set(n, s);
  const build = (make: (k: K) => LinearParams) =>
    Object.fromEntries(keys.map((k) => [k, make(k)])) as Record<K, LinearParams>;
  return {
    spec,
    init: (next) => build((k) => torchDefaultLinear(dims[k][0], dims[k][1], next())),
    read: (reader) => build((k) => reader.linear(`${k}.`)),
    write: (writer, p) => {
      for (const k of keys) writer.linear(`${k}.`, p[k]);
    },
  };
}
