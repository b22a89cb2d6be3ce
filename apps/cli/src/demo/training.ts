import type { EpochInfo, FitOptions } from '@kadapter/train';

/** Training settings every demo stage (pre-training, fine-tuning) takes. */
export interface TrainingOptions {
  epochs: number;
  batchSize: number;
  lr: number;
  seed: number;
  /** no progress bar within the epochs */
  quiet: boolean;
  onEpoch: (e: EpochInfo) => void;
}

/** The `fit` options of a demo stage over `examples` training examples (progress within each epoch on stderr). */
export function fitOptions(examples: number, o: TrainingOptions): FitOptions {
  return {
    examples,
    batchSize: o.batchSize,
    epochs: o.epochs,
    baseLr: o.lr,
    seed: o.seed,
    onEpoch: o.onEpoch,
    progress: { silent: o.quiet },
  };
}
