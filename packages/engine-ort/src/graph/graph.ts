import { InputError } from '@kadapter/core';
import type { Ops } from '@kadapter/nn';
import { type Attribute, type DType, encodeModel, type Initializer, type NodeSpec } from '../onnx/model.js';

/**
 * A symbolic value of a graph being traced: a static shape and an element type. Ops on it append
 * ONNX nodes to its graph; nothing is computed until the graph runs in ONNX Runtime.
 */
export class GraphTensor {
  /** @internal use `Graph.input`, `Graph.constant` or an op */
  constructor(
    readonly graph: Graph,
    readonly id: number,
    /** the ONNX value name */
    readonly name: string,
    readonly shape: readonly number[],
    readonly dtype: DType,
  ) {}

  get size(): number {
    return this.shape.reduce((a, b) => a * b, 1);
  }
}

/** The gradients of an op's inputs given the gradient `dy` of its output (undefined: none). */
export type GradRule = (dy: GraphTensor, o: Ops<GraphTensor>) => ReadonlyArray<GraphTensor | undefined>;

/** One differentiable op application, in the order it was traced. */
export interface TapeEntry {
  readonly output: GraphTensor;
  readonly inputs: readonly GraphTensor[];
  readonly backward: GradRule;
}

/** A graph ready for a session: model bytes, the inputs it reads, the value name of each output. */
export interface BuiltModel {
  readonly bytes: Uint8Array;
  /** graph inputs the outputs depend on (the others are left out of the model and need no feed) */
  readonly inputs: readonly string[];
  /** requested output name -> ONNX output name */
  readonly outputs: ReadonlyMap<string, string>;
  readonly nodeCount: number;
}

/** Largest constant (elements) deduplicated by value. */
const DEDUPE_LIMIT = 64;

/** A constant element as a cache key (-0 and 0 differ). */
const valueKey = (v: number | bigint): string => (Object.is(v, -0) ? '-0' : String(v));

/**
 * A graph under construction: inputs, constants, ONNX nodes in emission order and the tape of
 * differentiable ops that `gradients` walks backwards. `build` keeps only the nodes the requested
 * outputs depend on, so values nobody asks for (unused gradients, attention probabilities) are
 * never computed.
 */
export class Graph {
  private nextId = 0;
  private readonly nodes: NodeSpec[] = [];
  private readonly producer = new Map<string, number>();
  private readonly declared = new Map<string, GraphTensor>();
  private readonly initializers = new Map<string, Initializer>();
  private readonly constants = new Map<string, GraphTensor>();
  readonly tape: TapeEntry[] = [];

  /** A graph input fed at every run (parameters, batch data, learning rate). */
  input(name: string, shape: readonly number[], dtype: DType): GraphTensor {
    if (this.declared.has(name)) throw new InputError(`graph input '${name}' is declared twice`, { tensor: name });
    if (name.startsWith('@'))
      throw new InputError(`graph input '${name}': names starting with @ are the graph's own`, { tensor: name });
    const t = new GraphTensor(this, this.nextId++, name, [...shape], dtype);
    this.declared.set(name, t);
    return t;
  }

  /** A constant stored in the model; small ones are shared by value. */
  constant(data: Float32Array | Int32Array | BigInt64Array | Uint8Array, shape: readonly number[]): GraphTensor {
    const dtype: DType =
      data instanceof Float32Array
        ? 'float32'
        : data instanceof Int32Array
          ? 'int32'
          : data instanceof BigInt64Array
            ? 'int64'
            : 'bool';
    const key = data.length <= DEDUPE_LIMIT ? `${dtype}[${shape}]${Array.from(data, valueKey).join()}` : undefined;
    const known = key === undefined ? undefined : this.constants.get(key);
    if (known) return known;
    const id = this.nextId++;
    const t = new GraphTensor(this, id, `@c${id}`, [...shape], dtype);
    this.initializers.set(t.name, { name: t.name, dtype, shape: [...shape], data });
    if (key !== undefined) this.constants.set(key, t);
    return t;
  }

  /** A float32 scalar constant. */
  scalar(value: number): GraphTensor {
    return this.constant(new Float32Array([value]), []);
  }

  /** An int64 vector constant (shapes, axes, pads of ONNX ops). */
  int64s(values: readonly number[]): GraphTensor {
    return this.constant(
      BigInt64Array.from(values, (v) => BigInt(v)),
      [values.length],
    );
  }

  /** Appends one node; `null` inputs are omitted optional inputs. */
  emit(
    opType: string,
    inputs: ReadonlyArray<GraphTensor | null>,
    outputs: ReadonlyArray<{ shape: readonly number[]; dtype: DType }>,
    attributes?: Readonly<Record<string, Attribute>>,
  ): GraphTensor[] {
    const outs = outputs.map((o) => {
      const id = this.nextId++;
      return new GraphTensor(this, id, `@v${id}`, [...o.shape], o.dtype);
    });
    for (const t of inputs) if (t !== null && t.graph !== this) throw new Error('internal: a tensor of another graph');
    const index = this.nodes.length;
    this.nodes.push({
      opType,
      inputs: inputs.map((t) => (t === null ? '' : t.name)),
      outputs: outs.map((t) => t.name),
      ...(attributes ? { attributes } : {}),
    });
    for (const t of outs) this.producer.set(t.name, index);
    return outs;
  }

  /** `emit` for a node with one output. */
  emit1(
    opType: string,
    inputs: ReadonlyArray<GraphTensor | null>,
    shape: readonly number[],
    dtype: DType,
    attributes?: Readonly<Record<string, Attribute>>,
  ): GraphTensor {
    return this.emit(opType, inputs, [{ shape, dtype }], attributes)[0] as GraphTensor;
  }

  /** Records a differentiable op for `gradients`. */
  record(output: GraphTensor, inputs: readonly GraphTensor[], backward: GradRule): void {
    this.tape.push({ output, inputs, backward });
  }

  /** The model computing `outputs` (requested name -> value) and nothing else. */
  build(outputs: ReadonlyMap<string, GraphTensor>, name?: string): BuiltModel {
    const nodes = [...this.nodes];
    const producer = new Map(this.producer);
    const names = new Map<string, string>();
    const taken = new Set<string>();
    for (const [key, t] of outputs) {
      if (t.graph !== this) throw new InputError(`output '${key}' belongs to another graph`, { tensor: key });
      // a graph output must be a node output of its own: inputs, constants and repeats get an Identity
      if (producer.has(t.name) && !taken.has(t.name)) {
        names.set(key, t.name);
      } else {
        const alias = `@out${this.nextId++}`;
        nodes.push({ opType: 'Identity', inputs: [t.name], outputs: [alias] });
        producer.set(alias, nodes.length - 1);
        names.set(key, alias);
      }
      taken.add(names.get(key) as string);
    }
    const keep = new Set<number>();
    const used = new Set<string>();
    const stack = [...names.values()];
    while (stack.length > 0) {
      const value = stack.pop() as string;
      if (used.has(value)) continue;
      used.add(value);
      const index = producer.get(value);
      if (index === undefined || keep.has(index)) continue;
      keep.add(index);
      for (const input of (nodes[index] as NodeSpec).inputs) if (input !== '') stack.push(input);
    }
    const kept = nodes.filter((_, i) => keep.has(i));
    const inputs = [...this.declared.values()].filter((t) => used.has(t.name));
    const spec = [...outputs].map(([key, t]) => ({ name: names.get(key) as string, dtype: t.dtype, shape: t.shape }));
    const bytes = encodeModel({
      ...(name === undefined ? {} : { name }),
      nodes: kept,
      inputs: inputs.map((t) => ({ name: t.name, dtype: t.dtype, shape: t.shape })),
      outputs: spec,
      initializers: [...this.initializers.values()].filter((i) => used.has(i.name)),
    });
    return { bytes, inputs: inputs.map((t) => t.name), outputs: names, nodeCount: kept.length };
  }
}
