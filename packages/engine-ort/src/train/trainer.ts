import { ConfigError, InputError } from '@kadapter/core';
import { type Def, type ForwardOptions, leaves, type Ops, type Params } from '@kadapter/nn';
import { gradients } from '../autodiff/gradients.js';
import type { GraphTensor } from '../graph/graph.js';
import { paramTree } from '../params/param-tree.js';
import type { OrtEngine } from '../runtime/engine.js';
import { GraphFunction, strict } from '../runtime/graph-function.js';
import { float32Data, type OrtTensor, ortTensor } from '../runtime/tensors.js';
import {
  type AdamWConfig,
  adamStepSize,
  adamWUpdate,
  clipGradNorm,
  type ResolvedAdamW,
  resolveAdamW,
} from './adamw-graph.js';

/** The scalar loss of a batch, written against the op vocabulary like any block. */
export type LossFn<D extends Def> = (
  o: Ops<GraphTensor>,
  params: Params<D, GraphTensor>,
  batch: Readonly<Record<string, GraphTensor>>,
  options: ForwardOptions,
) => GraphTensor;

export interface TrainerOptions<D extends Def> {
  /** the parameters (names, shapes) */
  def: D;
  loss: LossFn<D>;
  /** parameters the optimizer updates, by PyTorch name (default: all); the others are fed unchanged */
  trainable?: (name: string) => boolean;
  optimizer?: AdamWConfig;
  /** `clip_grad_norm_` before the update; none when absent */
  maxGradNorm?: number;
  /** dropout on (default true) */
  training?: boolean;
  /** draws the dropout seeds when a graph is traced */
  random?: () => number;
}

export interface StepResult {
  loss: number;
  /** global gradient norm before clipping (when clipping) */
  gradNorm?: number;
}

const P = 'param:';
const M = 'adam.m:';
const V = 'adam.v:';
const B = 'batch:';

/**
 * Trains the parameters of one definition with ONNX Runtime: each step is one graph (forward,
 * backward, optional gradient clipping and the AdamW update) whose inputs are the parameters, the
 * Adam moments, the batch and the step size, and whose outputs are the updated parameters and
 * moments. Those stay ONNX Runtime tensors from step to step; `parameters()` reads them back.
 * A parameter the loss does not depend on gets no update and keeps its moments (torch skips
 * parameters whose `grad is None`).
 */
export class OrtTrainer<D extends Def> {
  private readonly params = new Map<string, OrtTensor>();
  private readonly moments = new Map<string, OrtTensor>();
  private readonly adam: ResolvedAdamW;
  private readonly trainable: ReadonlySet<string>;
  private readonly fn: GraphFunction;
  private t = 0;

  /** `initial`: every parameter by PyTorch name, in memory layout (copied). */
  constructor(
    engine: OrtEngine,
    private readonly options: TrainerOptions<D>,
    initial: ReadonlyMap<string, Float32Array>,
  ) {
    this.adam = resolveAdamW(options.optimizer);
    if (options.maxGradNorm !== undefined && !(options.maxGradNorm > 0)) {
      throw new ConfigError(`maxGradNorm must be > 0, got ${options.maxGradNorm}`, { field: 'maxGradNorm' });
    }
    const isTrainable = options.trainable ?? (() => true);
    const names: string[] = [];
    for (const leaf of leaves(options.def)) {
      const values = initial.get(leaf.name);
      const size = leaf.def.shape.reduce((a, b) => a * b, 1);
      if (values === undefined)
        throw new InputError(`no initial value for parameter '${leaf.name}'`, { tensor: leaf.name });
      if (values.length !== size) {
        throw new InputError(`'${leaf.name}' has ${values.length} values, [${leaf.def.shape}] needs ${size}`, {
          tensor: leaf.name,
        });
      }
      this.params.set(leaf.name, ortTensor(values.slice(), leaf.def.shape));
      if (isTrainable(leaf.name)) {
        names.push(leaf.name);
        this.moments.set(`${M}${leaf.name}`, ortTensor(new Float32Array(size), leaf.def.shape));
        this.moments.set(`${V}${leaf.name}`, ortTensor(new Float32Array(size), leaf.def.shape));
      }
    }
    const known = new Set(leaves(options.def).map((l) => l.name));
    for (const name of initial.keys()) {
      if (!known.has(name)) throw new InputError(`'${name}' is not a parameter of the definition`, { tensor: name });
    }
    this.trainable = new Set(names);
    this.fn = new GraphFunction(engine, (o, inputs) => this.traceStep(o, inputs), 'train-step');
  }

  /** Step graphs traced so far: one per batch signature (names, types, shapes). */
  get graphs(): number {
    return this.fn.signatures;
  }

  /** Updates applied so far. */
  get steps(): number {
    return this.t;
  }

  /** One training step on `batch` (graph inputs by name) at learning rate `lr`. */
  async step(batch: Readonly<Record<string, OrtTensor>>, lr: number): Promise<StepResult> {
    if (!(lr >= 0)) throw new ConfigError(`learning rate must be >= 0, got ${lr}`, { field: 'lr' });
    const t = this.t + 1;
    const feeds: Record<string, OrtTensor> = {
      step_size: ortTensor(new Float32Array([adamStepSize(this.adam, lr, t)]), []),
      lr_decay: ortTensor(new Float32Array([lr * this.adam.weightDecay]), []),
    };
    for (const [name, value] of this.params) feeds[`${P}${name}`] = value;
    for (const [name, value] of this.moments) feeds[name] = value;
    for (const [name, value] of Object.entries(batch)) feeds[`${B}${name}`] = value;
    const out = await this.fn.run(feeds);
    this.t = t;
    for (const [key, value] of Object.entries(out)) {
      if (key.startsWith(P)) this.params.set(key.slice(P.length), value);
      else if (key.startsWith(M) || key.startsWith(V)) this.moments.set(key, value);
    }
    const loss = float32Data(out.loss as OrtTensor, 'loss')[0] as number;
    const norm = out.grad_norm === undefined ? undefined : (float32Data(out.grad_norm, 'grad_norm')[0] as number);
    return norm === undefined ? { loss } : { loss, gradNorm: norm };
  }

  /** Copies of the parameters by PyTorch name (memory layout). */
  parameters(): Map<string, Float32Array> {
    return new Map([...this.params].map(([name, t]) => [name, float32Data(t, name).slice()]));
  }

  /** Copies of the Adam moments (`m/<name>`, `v/<name>`, as `@kadapter/train` names them) and the update count. */
  state(): { step: number; moments: Map<string, Float32Array> } {
    const moments = new Map<string, Float32Array>();
    for (const [key, t] of this.moments) {
      const name = key.startsWith(M) ? `m/${key.slice(M.length)}` : `v/${key.slice(V.length)}`;
      moments.set(name, float32Data(t, key).slice());
    }
    return { step: this.t, moments };
  }

  async dispose(): Promise<void> {
    await this.fn.dispose();
    this.params.clear();
    this.moments.clear();
  }

  private traceStep(o: Ops<GraphTensor>, inputs: Readonly<Record<string, GraphTensor>>): Record<string, GraphTensor> {
    const at = (name: string) => inputs[name] as GraphTensor;
    const params = paramTree(this.options.def, (leaf) => at(`${P}${leaf.name}`));
    const batch: Record<string, GraphTensor> = {};
    for (const [name, t] of Object.entries(inputs)) if (name.startsWith(B)) batch[name.slice(B.length)] = t;
    const forward: ForwardOptions = {
      training: this.options.training ?? true,
      ...(this.options.random ? { random: this.options.random } : {}),
    };
    const loss = this.options.loss(o, params, strict(batch, 'batch input'), forward);
    const names = [...this.trainable];
    const grads = gradients(
      loss,
      names.map((n) => at(`${P}${n}`)),
    );
    const live = names.flatMap((name, i) => {
      const grad = grads[i];
      return grad === undefined ? [] : [{ name, grad }];
    });
    const out: Record<string, GraphTensor> = { loss };
    let clipped = live.map((s) => s.grad);
    if (this.options.maxGradNorm !== undefined && live.length > 0) {
      const c = clipGradNorm(o, clipped, this.options.maxGradNorm);
      clipped = c.grads;
      out.grad_norm = c.norm;
    }
    live.forEach(({ name }, i) => {
      const next = adamWUpdate(
        o,
        {
          param: at(`${P}${name}`),
          grad: clipped[i] as GraphTensor,
          m: at(`${M}${name}`),
          v: at(`${V}${name}`),
          decay: !this.adam.noDecay(name),
        },
        this.adam,
        at('step_size'),
        at('lr_decay'),
      );
      out[`${P}${name}`] = next.param;
      out[`${M}${name}`] = next.m;
      out[`${V}${name}`] = next.v;
    });
    return out;
  }
}
