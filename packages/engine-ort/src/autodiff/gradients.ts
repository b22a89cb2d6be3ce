import { InputError, ShapeError } from '@kadapter/core';
import type { GraphTensor } from '../graph/graph.js';
import { graphOps } from '../ops/graph-ops.js';
import { sameShape } from '../ops/shapes.js';

/**
 * Reverse-mode gradients of the scalar `loss` with respect to `wrt`, emitted as ONNX nodes into
 * the loss's graph: the tape is walked backwards from the loss and only ops that lie between a
 * `wrt` tensor and the loss get their gradient rule applied; a tensor used several times sums its
 * gradients. An entry is undefined where the loss does not depend on that tensor (torch's
 * `grad is None`). Gradient nodes that no output needs are dropped when the graph is built.
 */
export function gradients(loss: GraphTensor, wrt: readonly GraphTensor[]): Array<GraphTensor | undefined> {
  if (loss.dtype !== 'float32' || loss.size !== 1) {
    throw new InputError(`gradients: the loss must be a float32 scalar, got ${loss.dtype} [${loss.shape}]`);
  }
  const g = loss.graph;
  const tape = g.tape.slice();
  const depends = new Set(wrt.map((t) => t.id));
  for (const entry of tape) {
    if (entry.inputs.some((t) => depends.has(t.id))) depends.add(entry.output.id);
  }
  const grads = new Map<number, GraphTensor>();
  if (depends.has(loss.id)) grads.set(loss.id, g.constant(new Float32Array(loss.size).fill(1), loss.shape));
  for (let i = tape.length - 1; i >= 0; i--) {
    const entry = tape[i];
    const dy = entry === undefined ? undefined : grads.get(entry.output.id);
    if (entry === undefined || dy === undefined) continue;
    const inputGrads = entry.backward(dy, graphOps);
    entry.inputs.forEach((x, j) => {
      const dx = inputGrads[j];
      if (dx === undefined || !depends.has(x.id)) return;
      if (!sameShape(dx.shape, x.shape)) {
        throw new ShapeError(`internal: gradient [${dx.shape}] for an input of shape [${x.shape}]`);
      }
      const known = grads.get(x.id);
      grads.set(x.id, known === undefined ? dx : graphOps.add(known, dx));
    });
  }
  return wrt.map((t) => grads.get(t.id));
}
