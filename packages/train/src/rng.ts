import seedrandom from 'seedrandom';

/** The state of an `Rng`, to store in a checkpoint (JSON). */
export type RngState = seedrandom.State.Alea;

/**
 * A seeded random stream (Alea) whose state can be saved and restored exactly: every random
 * choice of a training run (shuffling, dropout masks) comes from one of these, so a run is
 * reproducible from its seed and resumable from a checkpoint.
 */
export class Rng {
  private constructor(private readonly prng: seedrandom.StatefulPRNG<RngState>) {}

  static seeded(seed: number | string): Rng {
    return new Rng(seedrandom.alea(String(seed), { state: true }));
  }

  static restore(state: RngState): Rng {
    return new Rng(seedrandom.alea('', { state }));
  }

  /** uniform in [0, 1) */
  readonly next = (): number => this.prng();

  state(): RngState {
    return this.prng.state();
  }
}
