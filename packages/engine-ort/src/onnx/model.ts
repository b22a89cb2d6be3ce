import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;

/** Element types the engine's graphs use. */
export type DType = 'float32' | 'int32' | 'int64' | 'bool';

const ELEM_TYPE: Record<DType, number> = {
  float32: onnx.TensorProto.DataType.FLOAT,
  int32: onnx.TensorProto.DataType.INT32,
  int64: onnx.TensorProto.DataType.INT64,
  bool: onnx.TensorProto.DataType.BOOL,
};

/** The ONNX element type number of `dtype` (Cast's `to` attribute, tensor protos). */
export function elemType(dtype: DType): number {
  return ELEM_TYPE[dtype];
}

/**
 * Operator set of every graph: 17 is the first with LayerNormalization (and its Mean/InvStdDev
 * outputs, which the backward reuses) and the last where ReduceMean takes its axes as an attribute.
 */
export const OPSET = 17;

/** A node attribute with its ONNX type spelled out (`1` as INT and as FLOAT mean different things). */
export type Attribute =
  | { readonly kind: 'int'; readonly value: number }
  | { readonly kind: 'float'; readonly value: number }
  | { readonly kind: 'ints'; readonly value: readonly number[] }
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'tensor'; readonly value: Initializer };

export const attr = {
  int: (value: number): Attribute => ({ kind: 'int', value }),
  float: (value: number): Attribute => ({ kind: 'float', value }),
  ints: (value: readonly number[]): Attribute => ({ kind: 'ints', value }),
  string: (value: string): Attribute => ({ kind: 'string', value }),
  tensor: (value: Initializer): Attribute => ({ kind: 'tensor', value }),
};

export interface NodeSpec {
  readonly opType: string;
  /** value names; '' for an omitted optional input */
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly attributes?: Readonly<Record<string, Attribute>>;
}

/** A constant tensor stored in the model (little-endian raw bytes). */
export interface Initializer {
  readonly name: string;
  readonly dtype: DType;
  readonly shape: readonly number[];
  readonly data: Float32Array | Int32Array | BigInt64Array | Uint8Array;
}

export interface ValueSpec {
  readonly name: string;
  readonly dtype: DType;
  readonly shape: readonly number[];
}

export interface ModelSpec {
  readonly nodes: readonly NodeSpec[];
  readonly inputs: readonly ValueSpec[];
  readonly outputs: readonly ValueSpec[];
  readonly initializers: readonly Initializer[];
  readonly name?: string;
}

function tensorProto(t: Initializer): onnxProto.onnx.ITensorProto {
  return {
    name: t.name,
    dataType: elemType(t.dtype),
    dims: [...t.shape],
    rawData: new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength),
  };
}

function attributeProto(name: string, a: Attribute): onnxProto.onnx.IAttributeProto {
  const T = onnx.AttributeProto.AttributeType;
  switch (a.kind) {
    case 'int':
      return { name, type: T.INT, i: a.value };
    case 'float':
      return { name, type: T.FLOAT, f: a.value };
    case 'ints':
      return { name, type: T.INTS, ints: [...a.value] };
    case 'string':
      return { name, type: T.STRING, s: new TextEncoder().encode(a.value) };
    case 'tensor':
      return { name, type: T.TENSOR, t: tensorProto(a.value) };
  }
}

function valueInfo(v: ValueSpec): onnxProto.onnx.IValueInfoProto {
  return {
    name: v.name,
    type: { tensorType: { elemType: elemType(v.dtype), shape: { dim: v.shape.map((d) => ({ dimValue: d })) } } },
  };
}

/** Serialises a graph to ONNX model bytes (IR version 8, default domain at `OPSET`). */
export function encodeModel(spec: ModelSpec): Uint8Array {
  const model: onnxProto.onnx.IModelProto = {
    irVersion: 8,
    producerName: '@kadapter/engine-ort',
    opsetImport: [{ domain: '', version: OPSET }],
    graph: {
      name: spec.name ?? 'kadapter',
      node: spec.nodes.map((n) => ({
        opType: n.opType,
        input: [...n.inputs],
        output: [...n.outputs],
        attribute: Object.entries(n.attributes ?? {}).map(([k, a]) => attributeProto(k, a)),
      })),
      input: spec.inputs.map(valueInfo),
      output: spec.outputs.map(valueInfo),
      initializer: spec.initializers.map(tensorProto),
    },
  };
  return onnx.ModelProto.encode(onnx.ModelProto.create(model)).finish();
}
