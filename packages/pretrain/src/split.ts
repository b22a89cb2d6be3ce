import seedrandom from 'seedrandom';

/**
 * A seeded held-out split of `n` examples: `round(fraction·n)` of them (at least 1 when the
 * fraction is positive and there are 2 or more examples) for evaluation, the rest for training,
 * each in its original order.
 */
export function heldOutSplit(n: number, fraction: number, seed: number | string): { train: number[]; held: number[] } {
  const count = fraction <= 0 || n < 2 ? 0 : Math.min(n - 1, Math.max(1, Math.round(fraction * n)));
  const rng = seedrandom.alea(`${seed}/held-out`);
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [order[i], order[j]] = [order[j] as number, order[i] as number];
  }
  const held = new Set(order.slice(0, count));
  const all = Array.from({ length: n }, (_, i) => i);
  return { train: all.filter((i) => !held.has(i)), held: all.filter((i) => held.has(i)) };
}
