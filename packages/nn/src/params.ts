import * as tf from '@tensorflow/tfjs';

/** A nested object whose leaves are tensors (the parameters of a module). */
export type ParamTree = tf.Tensor | { [key: string]: ParamTree | undefined } | ParamTree[];

/** Every tensor of a tree, in a stable order. */
export function treeTensors(tree: ParamTree): tf.Tensor[] {
  if (tree instanceof tf.Tensor) return [tree];
  const out: tf.Tensor[] = [];
  const children = Array.isArray(tree)
    ? tree
    : Object.keys(tree)
        .sort()
        .map((k) => tree[k]);
  for (const child of children) if (child !== undefined) out.push(...treeTensors(child));
  return out;
}

/** The same tree with each tensor replaced by a trainable tf.Variable (the tensors are disposed). */
export function toVariables<T extends ParamTree>(tree: T, trainable = true): T {
  return mapTree(tree, (t) => {
    const v = tf.variable(t, trainable);
    t.dispose();
    return v;
  }) as T;
}

/** Variables of a tree (tensors that are not variables are skipped). */
export function treeVariables(tree: ParamTree): tf.Variable[] {
  return treeTensors(tree).filter((t): t is tf.Variable => t instanceof tf.Variable);
}

export function disposeTree(tree: ParamTree): void {
  for (const t of treeTensors(tree)) t.dispose();
}

function mapTree(tree: ParamTree, fn: (t: tf.Tensor) => tf.Tensor): ParamTree {
  if (tree instanceof tf.Tensor) return fn(tree);
  if (Array.isArray(tree)) return tree.map((c) => mapTree(c, fn));
  const out: { [key: string]: ParamTree | undefined } = {};
  for (const [k, v] of Object.entries(tree)) out[k] = v === undefined ? undefined : mapTree(v, fn);
  return out;
}
