import { ConfigError } from '@kadapter/core';
import seedrandom from 'seedrandom';

/**
 * Mini-batches of example indices for one epoch: `0..n-1`, shuffled with a seeded Fisher-Yates
 * when `seed` is given (reproducible across runs and machines), in order otherwise; the last
 * batch may be smaller.
 */
export function epochBatches(n: number, batchSize: number, seed?: string | number): number[][] {
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new ConfigError(`batch size must be a positive integer, got ${batchSize}`, { field: 'batchSize' });
  }
  const order = Array.from({ length: n }, (_, i) => i);
  if (seed !== undefined) {
    const rng = seedrandom(String(seed));
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(rng() * (i + 1));
      [order[i], order[j]] = [order[j] as number, order[i] as number];
    }
  }
  const batches: number[][] = [];
  for (let i = 0; i < n; i += batchSize) batches.push(order.slice(i, i + batchSize));
  return batches;
}
