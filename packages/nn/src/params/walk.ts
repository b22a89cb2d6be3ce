import type { Def, Params, TensorDef } from './def.js';

/** A tensor of a definition: its full file name and where it sits in the parameter tree. */
export interface Leaf {
  /** PyTorch name, e.g. `encoder.layer.0.attention.self.query.weight` */
  readonly name: string;
  /** keys and indices from the root of the parameter tree */
  readonly path: ReadonlyArray<string | number>;
  readonly def: TensorDef;
}

const join = (a: string, b: string) => (a === '' ? b : b === '' ? a : `${a}.${b}`);

/** Every tensor of `def`, in definition order, named under `prefix` (e.g. `adapter` or ''). */
export function leaves(def: Def, prefix = ''): Leaf[] {
  const out: Leaf[] = [];
  const walk = (d: Def, name: string, path: Array<string | number>): void => {
    switch (d.tag) {
      case 'tensor':
        out.push({ name, path, def: d });
        return;
      case 'prefixed':
        walk(d.def, join(name, d.prefix), path);
        return;
      case 'list':
        d.items.forEach((item: Def, i: number) => {
          walk(item, join(name, String(i)), [...path, i]);
        });
        return;
      case 'record':
        for (const [k, child] of Object.entries(d.fields as Record<string, Def | undefined>)) {
          if (child === undefined) continue;
          const segment = child.tag === 'prefixed' ? '' : k;
          walk(child, join(name, segment), [...path, k]);
        }
        return;
    }
  };
  walk(def, prefix, []);
  return out;
}

/** Builds the parameter tree of `def` with `make(leaf)` at each tensor, in definition order. */
export function buildParams<D extends Def, T>(def: D, make: (leaf: Leaf) => T, prefix?: string): Params<D, T>;
export function buildParams(def: Def, make: (leaf: Leaf) => unknown, prefix = ''): unknown {
  const root: Record<string, unknown> = {};
  for (const leaf of leaves(def, prefix)) setAt(root, ['$', ...leaf.path], make(leaf));
  return root.$;
}

/** The tensors of a parameter tree next to their leaves, in definition order. */
export function paramLeaves<D extends Def, T>(def: D, params: Params<D, T>, prefix?: string): Array<[Leaf, T]>;
export function paramLeaves(def: Def, params: unknown, prefix = ''): Array<[Leaf, unknown]> {
  return leaves(def, prefix).map((leaf) => [leaf, getAt(params, leaf.path)]);
}

/** The same tree with `fn` applied to every tensor. */
export function mapParams<D extends Def, T, U>(def: D, params: Params<D, T>, fn: (t: T, leaf: Leaf) => U): Params<D, U>;
export function mapParams(def: Def, params: unknown, fn: (t: unknown, leaf: Leaf) => unknown): unknown {
  return buildParams(def, (leaf) => fn(getAt(params, leaf.path), leaf));
}

function getAt(tree: unknown, path: ReadonlyArray<string | number>): unknown {
  let node = tree;
  for (const key of path) node = (node as Record<string | number, unknown>)[key];
  return node;
}

function setAt(root: Record<string, unknown>, path: ReadonlyArray<string | number>, value: unknown): void {
  let node: Record<string | number, unknown> = root;
  for (let i = 0; i < path.length - 1; i++) {
    const key = path[i] as string | number;
    if (node[key] === undefined) node[key] = typeof path[i + 1] === 'number' ? [] : {};
    node = node[key] as Record<string | number, unknown>;
  }
  node[path[path.length - 1] as string | number] = value;
}
