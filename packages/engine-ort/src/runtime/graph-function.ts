import { InputError } from '@kadapter/core';
import type { Ops } from '@kadapter/nn';
import type { InferenceSession } from 'onnxruntime-node';
import { Graph, type GraphTensor } from '../graph/graph.js';
import { graphOps } from '../ops/graph-ops.js';
import type { OrtEngine } from './engine.js';
import type { OrtTensor } from './tensors.js';

/** Builds a graph from symbolic inputs (named like the feeds) and returns its named outputs. */
export type TraceFn = (
  o: Ops<GraphTensor>,
  inputs: Readonly<Record<string, GraphTensor>>,
) => Record<string, GraphTensor>;

interface Compiled {
  session: InferenceSession;
  inputs: readonly string[];
  outputs: ReadonlyMap<string, string>;
}

/**
 * A traced function run by ONNX Runtime. The first call with a given set of input names, types
 * and shapes traces `trace` into a graph and creates its session; later calls with the same
 * signature reuse that session, so a training loop never rebuilds a graph.
 */
export class GraphFunction {
  private readonly cache = new Map<string, Promise<Compiled>>();

  constructor(
    private readonly engine: OrtEngine,
    private readonly trace: TraceFn,
    private readonly name = 'graph',
  ) {}

  /** Runs the graph for these feeds (traced and compiled on the first call of their signature). */
  async run(feeds: Readonly<Record<string, OrtTensor>>): Promise<Record<string, OrtTensor>> {
    const compiled = await this.compiled(feeds);
    const inputs: Record<string, OrtTensor> = {};
    for (const name of compiled.inputs) inputs[name] = feeds[name] as OrtTensor;
    const results = await compiled.session.run(inputs);
    const out: Record<string, OrtTensor> = {};
    for (const [key, value] of compiled.outputs) out[key] = results[value] as OrtTensor;
    return out;
  }

  /** Number of graphs traced so far (one per input signature). */
  get signatures(): number {
    return this.cache.size;
  }

  async dispose(): Promise<void> {
    const all = [...this.cache.values()];
    this.cache.clear();
    for (const c of await Promise.allSettled(all)) if (c.status === 'fulfilled') await c.value.session.release();
  }

  private compiled(feeds: Readonly<Record<string, OrtTensor>>): Promise<Compiled> {
    const key = Object.keys(feeds)
      .sort()
      .map((name) => {
        const t = feeds[name] as OrtTensor;
        if (t.type !== 'float32' && t.type !== 'int32') {
          throw new InputError(`${this.name}: input '${name}' is ${t.type}; float32 and int32 are supported`, {
            tensor: name,
          });
        }
        return `${name}:${t.type}[${t.dims.join(',')}]`;
      })
      .join(';');
    let entry = this.cache.get(key);
    if (entry === undefined) {
      entry = this.compile(feeds);
      this.cache.set(key, entry);
      entry.catch(() => this.cache.delete(key));
    }
    return entry;
  }

  private async compile(feeds: Readonly<Record<string, OrtTensor>>): Promise<Compiled> {
    const g = new Graph();
    const inputs: Record<string, GraphTensor> = {};
    for (const [name, t] of Object.entries(feeds)) inputs[name] = g.input(name, t.dims, t.type as 'float32' | 'int32');
    const outputs = this.trace(graphOps, strict(inputs, `${this.name} input`));
    const built = g.build(new Map(Object.entries(outputs)), this.name);
    const session = await this.engine.session(built.bytes);
    return { session, inputs: built.inputs, outputs: built.outputs };
  }
}

/**
 * `record` whose missing string keys throw an InputError naming the key and the keys there are
 * (`'key' in record` still tests presence), so a trace that reads an input nobody fed fails clearly.
 */
export function strict<T>(record: Readonly<Record<string, T>>, what: string): Readonly<Record<string, T>> {
  return new Proxy(record, {
    get(target, key, receiver) {
      if (typeof key === 'string' && key !== 'then' && !(key in target)) {
        throw new InputError(`no ${what} '${key}' (given: ${Object.keys(target).join(', ') || 'none'})`, {
          tensor: key,
        });
      }
      return Reflect.get(target, key, receiver);
    },
  });
}
