import {
  type Backbone,
  type BackboneOutput,
  disposeBackboneOutput,
  type ForwardOptions,
  type SequenceData,
} from '@kadapter/nn';
import * as tf from '@tensorflow/tfjs';

export interface BackboneStatesOptions {
  /** hidden-state indices the adapters read (the last layer and the mask always come too) */
  taps: readonly number[];
  /**
   * Most bytes of host memory the cache of a frozen backbone's outputs may take (default 2 GiB;
   * 0 turns the cache off). When the whole dataset does not fit, nothing is cached: every epoch
   * runs the backbone again, and `notice` says so once.
   */
  budgetBytes?: number;
  /** where the one-line cache notice goes */
  notice?: (line: string) => void;
}

interface CachedRow {
  taps: Float32Array[];
  last: Float32Array;
  mask: Float32Array;
}

/**
 * The backbone's outputs for rows of a dataset. A frozen backbone gives the same outputs for a row
 * every time, so the first time a row is seen its tapped states, last layer and mask are kept in
 * host memory, and later epochs read them instead of running the backbone again (the
 * result is the same as recomputing). A trainable backbone always runs, inside the caller's
 * gradient tape.
 */
export class BackboneStates {
  private readonly cache = new Map<number, CachedRow>();
  private readonly fits: boolean;
  private readonly length: number;
  /** rows computed by the backbone, and rows read from the cache */
  readonly counts = { computed: 0, cached: 0 };

  constructor(
    private readonly backbone: Backbone,
    private readonly data: SequenceData,
    private readonly options: BackboneStatesOptions,
  ) {
    const [n, length] = data.inputIds.shape as [number, number];
    this.length = length;
    const budget = options.budgetBytes ?? 2 * 2 ** 30;
    const perRow = ((options.taps.length + 1) * backbone.info.hiddenSize + 1) * length * 4;
    const needed = n * perRow;
    this.fits = budget > 0 && needed <= budget;
    if (backbone.frozen && budget > 0 && !this.fits) {
      options.notice?.(
        `feature cache: the backbone outputs of ${n} sequences need ${mib(needed)} MiB, more than the ${mib(budget)} MiB budget; the backbone runs again every epoch`,
      );
    }
  }

  /** whether the backbone's outputs are kept after their first computation (frozen, and they fit the budget) */
  get cached(): boolean {
    return this.fits && this.backbone.frozen;
  }

  /** Outputs for `rows`, in order (the caller disposes them); `options` reaches a trainable backbone. */
  get(rows: readonly number[], options: ForwardOptions = {}): BackboneOutput {
    if (!this.cached) return this.compute(rows, options);
    const missing = rows.filter((r) => !this.cache.has(r));
    if (missing.length > 0) {
      const out = this.compute([...new Set(missing)], options);
      const h = this.backbone.info.hiddenSize;
      const size = this.length * h;
      const taps = this.options.taps.map((t) => out.hiddenStates[t]?.dataSync() as Float32Array);
      const last = out.last.dataSync() as Float32Array;
      const mask = out.mask.dataSync() as Float32Array;
      [...new Set(missing)].forEach((r, i) => {
        this.cache.set(r, {
          taps: taps.map((t) => t.slice(i * size, (i + 1) * size)),
          last: last.slice(i * size, (i + 1) * size),
          mask: mask.slice(i * this.length, (i + 1) * this.length),
        });
      });
      disposeBackboneOutput(out);
    }
    this.counts.cached += rows.length - missing.length;
    return this.assemble(rows);
  }

  private compute(rows: readonly number[], options: ForwardOptions): BackboneOutput {
    const l = this.length;
    const ids = new Int32Array(rows.length * l);
    const mask = new Int32Array(rows.length * l);
    rows.forEach((r, i) => {
      for (let j = 0; j < l; j++) {
        ids[i * l + j] = this.data.inputIds.data[r * l + j] as number;
        mask[i * l + j] = this.data.attentionMask.data[r * l + j] as number;
      }
    });
    const inputIds = tf.tensor2d(ids, [rows.length, l], 'int32');
    const attentionMask = tf.tensor2d(mask, [rows.length, l], 'int32');
    try {
      this.counts.computed += rows.length;
      return this.backbone.encode({ inputIds, attentionMask }, { ...options, taps: this.options.taps });
    } finally {
      tf.dispose([inputIds, attentionMask]);
    }
  }

  private assemble(rows: readonly number[]): BackboneOutput {
    const h = this.backbone.info.hiddenSize;
    const l = this.length;
    const stack = (pick: (c: CachedRow) => Float32Array, width: number) => {
      const out = new Float32Array(rows.length * l * width);
      rows.forEach((r, i) => {
        out.set(pick(this.cache.get(r) as CachedRow), i * l * width);
      });
      return out;
    };
    const hiddenStates: Array<tf.Tensor3D | undefined> = new Array(this.backbone.info.numLayers + 1).fill(undefined);
    this.options.taps.forEach((t, k) => {
      hiddenStates[t] = tf.tensor3d(
        stack((c) => c.taps[k] as Float32Array, h),
        [rows.length, l, h],
      );
    });
    return {
      hiddenStates,
      last: tf.tensor3d(
        stack((c) => c.last, h),
        [rows.length, l, h],
      ),
      mask: tf.tensor2d(
        stack((c) => c.mask, 1),
        [rows.length, l],
      ),
    };
  }
}

const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(0);
