import { ConfigError } from '@kadapter/core';
import seedrandom from 'seedrandom';

/**
 * A seeded random permutation of 0..n-1: Fisher-Yates from the top (i = n-1 .. 1, j = floor(rng() *
 * (i + 1)), swap), `rng = seedrandom(String(seed))` (ARC4). The official notebook called
 * `random.shuffle` without a seed; this makes the split reproducible. Example i of the flattened
 * sub-dataset goes to output position `perm[i]`.
 */
export function seededPermutation(n: number, seed: string | number): Uint32Array {
  const rng = seedrandom(String(seed));
  const perm = new Uint32Array(n);
  for (let i = 0; i < n; i++) perm[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const t = perm[i] as number;
    perm[i] = perm[j] as number;
    perm[j] = t;
  }
  return perm;
}

/** Train/dev sizes: train = floor(n * (1 - devFraction)), the notebook's `int(len * 0.9)` for 0.1. */
export function splitSizes(n: number, devFraction: number): { train: number; dev: number } {
  if (!(devFraction >= 0 && devFraction <= 1))
    throw new ConfigError(`devFraction must be in [0, 1], got ${devFraction}`, { field: 'devFraction' });
  const train = Math.floor(n * (1 - devFraction));
  return { train, dev: n - train };
}
