import { type Def, type Leaf, leaves, type Params } from '@kadapter/nn';

/** The parameter tree of `def` with `make(leaf)` at each tensor (a graph input per parameter, say). */
export function paramTree<D extends Def, T>(def: D, make: (leaf: Leaf) => T): Params<D, T> {
  const root: Record<string, unknown> = {};
  for (const leaf of leaves(def)) {
    const path = ['$', ...leaf.path];
    let node: Record<string | number, unknown> = root;
    for (let i = 0; i < path.length - 1; i++) {
      const key = path[i] as string | number;
      node[key] ??= typeof path[i + 1] === 'number' ? [] : {};
      node = node[key] as Record<string | number, unknown>;
    }
    node[path[path.length - 1] as string | number] = make(leaf);
  }
  return root.$ as Params<D, T>;
}
