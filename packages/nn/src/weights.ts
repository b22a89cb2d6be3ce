import * as tf from '@tensorflow/tfjs';
import { ShapeError, WeightsError } from '@kadapter/core';
import type { AttentionParams } from './attention.js';
import type { BertLayerParams } from './bert-layer.js';
import type { LayerNormParams } from './layer-norm.js';
import type { LinearParams } from './linear.js';

/** Expected tensors of a module: PyTorch name -> shape (PyTorch layout). */
export type WeightSpec = Map<string, readonly number[]>;

/** Anything with a shape: tfjs tensors, or safetensors header entries. */
export interface Shaped {
  shape: readonly number[];
}

/**
 * Verifies that `actual` holds exactly the tensors of `spec` with the right shapes. Every missing,
 * unexpected and misshaped tensor is named in one error. `ignore` lets callers tolerate extra
 * tensors they handle elsewhere (e.g. pre-training head weights next to adapter weights).
 */
export function verifyWeights(
  actual: ReadonlyMap<string, Shaped>,
  spec: WeightSpec,
  source: string,
  ignore: (name: string) => boolean = () => false,
): void {
  const missing: string[] = [];
  const misshaped: string[] = [];
  for (const [name, shape] of spec) {
    const t = actual.get(name);
    if (!t) missing.push(name);
    else if (!sameShape(t.shape, shape)) misshaped.push(`${name} is [${t.shape}], expected [${shape}]`);
  }
  const unexpected = [...actual.keys()].filter((n) => !spec.has(n) && !ignore(n));
  if (misshaped.length > 0 && missing.length === 0 && unexpected.length === 0) {
    throw new ShapeError(`wrong shapes: ${misshaped.join('; ')}`, {
      file: source,
      tensor: misshaped[0]?.split(' ')[0],
    });
  }
  if (missing.length + unexpected.length + misshaped.length > 0) {
    const parts: string[] = [];
    if (missing.length > 0) parts.push(`missing ${missing.length}: ${list(missing)}`);
    if (unexpected.length > 0) parts.push(`unexpected ${unexpected.length}: ${list(unexpected)}`);
    if (misshaped.length > 0) parts.push(`wrong shapes: ${list(misshaped)}`);
    throw new WeightsError(`weights do not match the module (${parts.join('; ')})`, missing, unexpected, {
      file: source,
    });
  }
}

function list(names: string[]): string {
  return names.length <= 12 ? names.join(', ') : `${names.slice(0, 12).join(', ')}, ... (${names.length - 12} more)`;
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/** Shapes (PyTorch layout) of the tensors of one BERT layer under `prefix` (ends with '.'). */
export function bertLayerSpec(prefix: string, hidden: number, intermediate: number): WeightSpec {
  return new Map<string, readonly number[]>([
    ...attentionSpec(`${prefix}attention.`, hidden),
    [`${prefix}intermediate.dense.weight`, [intermediate, hidden]],
    [`${prefix}intermediate.dense.bias`, [intermediate]],
    [`${prefix}output.dense.weight`, [hidden, intermediate]],
    [`${prefix}output.dense.bias`, [hidden]],
    [`${prefix}output.LayerNorm.weight`, [hidden]],
    [`${prefix}output.LayerNorm.bias`, [hidden]],
  ]);
}

/** Shapes of a BertAttention block (`self.query/key/value`, `output.dense`, `output.LayerNorm`). */
export function attentionSpec(prefix: string, hidden: number): WeightSpec {
  const spec = new Map<string, number[]>();
  for (const n of ['self.query', 'self.key', 'self.value', 'output.dense']) {
    spec.set(`${prefix}${n}.weight`, [hidden, hidden]);
    spec.set(`${prefix}${n}.bias`, [hidden]);
  }
  spec.set(`${prefix}output.LayerNorm.weight`, [hidden]);
  spec.set(`${prefix}output.LayerNorm.bias`, [hidden]);
  return spec;
}

/** Shapes of a torch Linear(in -> out) under `prefix` (ends with '.'). */
export function linearSpec(prefix: string, inDim: number, outDim: number, bias = true): WeightSpec {
  const spec = new Map<string, number[]>([[`${prefix}weight`, [outDim, inDim]]]);
  if (bias) spec.set(`${prefix}bias`, [outDim]);
  return spec;
}

/**
 * Reads module parameters out of PyTorch-named tensors, converting linear weights from PyTorch
 * layout [out, in] to tfjs layout [in, out]. Call `verifyWeights` first for a complete report;
 * the reader itself throws on the first missing tensor.
 */
export class TorchWeightReader {
  constructor(
    private readonly named: ReadonlyMap<string, tf.Tensor>,
    private readonly source: string,
  ) {}

  tensor(name: string): tf.Tensor {
    const t = this.named.get(name);
    if (!t) throw new WeightsError(`missing tensor '${name}'`, [name], [], { file: this.source, tensor: name });
    return t;
  }

  linear(prefix: string, bias = true): LinearParams {
    const weight = tf.transpose(this.tensor(`${prefix}weight`)) as tf.Tensor2D;
    return bias ? { weight, bias: tf.clone(this.tensor(`${prefix}bias`)) as tf.Tensor1D } : { weight };
  }

  layerNorm(prefix: string): LayerNormParams {
    return {
      weight: tf.clone(this.tensor(`${prefix}weight`)) as tf.Tensor1D,
      bias: tf.clone(this.tensor(`${prefix}bias`)) as tf.Tensor1D,
    };
  }

  attention(prefix: string): AttentionParams {
    return {
      query: this.linear(`${prefix}self.query.`),
      key: this.linear(`${prefix}self.key.`),
      value: this.linear(`${prefix}self.value.`),
      output: this.linear(`${prefix}output.dense.`),
      outputLayerNorm: this.layerNorm(`${prefix}output.LayerNorm.`),
    };
  }

  bertLayer(prefix: string): BertLayerParams {
    return {
      attention: this.attention(`${prefix}attention.`),
      intermediate: this.linear(`${prefix}intermediate.dense.`),
      output: this.linear(`${prefix}output.dense.`),
      outputLayerNorm: this.layerNorm(`${prefix}output.LayerNorm.`),
    };
  }
}

/** The inverse of TorchWeightReader: PyTorch-named tensors (new tensors, [out, in] layout). */
export class TorchWeightWriter {
  readonly named = new Map<string, tf.Tensor>();

  tensor(name: string, t: tf.Tensor): void {
    this.named.set(name, tf.clone(t));
  }

  linear(prefix: string, p: LinearParams): void {
    this.named.set(`${prefix}weight`, tf.transpose(p.weight));
    if (p.bias) this.tensor(`${prefix}bias`, p.bias);
  }

  layerNorm(prefix: string, p: LayerNormParams): void {
    this.tensor(`${prefix}weight`, p.weight);
    this.tensor(`${prefix}bias`, p.bias);
  }

  attention(prefix: string, p: AttentionParams): void {
    this.linear(`${prefix}self.query.`, p.query);
    this.linear(`${prefix}self.key.`, p.key);
    this.linear(`${prefix}self.value.`, p.value);
    this.linear(`${prefix}output.dense.`, p.output);
    this.layerNorm(`${prefix}output.LayerNorm.`, p.outputLayerNorm);
  }

  bertLayer(prefix: string, p: BertLayerParams): void {
    this.attention(`${prefix}attention.`, p.attention);
    this.linear(`${prefix}intermediate.dense.`, p.intermediate);
    this.linear(`${prefix}output.dense.`, p.output);
    this.layerNorm(`${prefix}output.LayerNorm.`, p.outputLayerNorm);
  }
}
