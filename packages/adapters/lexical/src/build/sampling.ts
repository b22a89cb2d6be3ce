import { createHash } from 'node:crypto';

/**
 * A seeded pseudo-random number in [0, 1) for a string: the first 48 bits of
 * sha256(`seed` NUL `text`). The same seed and text give the same number on every machine and in
 * every input order, which is what makes sampling and splitting reproducible.
 */
export function seededUnit(seed: string, text: string): number {
  return createHash('sha256').update(`${seed}\u0000${text}`).digest().readUIntBE(0, 6) / 2 ** 48;
}

/** One kept item with its sampling key and unique id (the tie-break). */
export interface Keyed<T> {
  key: number;
  id: string;
  item: T;
}

const before = (a: { key: number; id: string }, b: { key: number; id: string }) =>
  a.key !== b.key ? a.key - b.key : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;

/**
 * Bottom-k sampling: of all items offered, keeps the `k` with the smallest keys (then ids). With
 * keys from `seededUnit` that is a uniform sample without replacement, independent of the order
 * of the offers, and any prefix of the result is a uniform sample too. Memory: at most 2k items
 * (the buffer is cut back to k whenever it doubles).
 */
export class BottomK<T> {
  private kept: Keyed<T>[] = [];
  private threshold: Keyed<unknown> | undefined;
  private offered = 0;

  constructor(readonly k: number) {}

  /** Number of items offered so far. */
  get seen(): number {
    return this.offered;
  }

  /** Offers an item; `make` runs only when the item may be kept. */
  offer(key: number, id: string, make: () => T): void {
    this.offered++;
    if (this.k === 0) return;
    if (this.threshold && before({ key, id }, this.threshold) >= 0) return;
    this.kept.push({ key, id, item: make() });
    if (this.kept.length >= 2 * this.k) this.compact();
  }

  /** The kept items, smallest key first (at most k). */
  items(): Keyed<T>[] {
    this.compact();
    return this.kept.slice();
  }

  private compact(): void {
    this.kept.sort(before);
    if (this.kept.length > this.k) this.kept.length = this.k;
    if (this.kept.length === this.k) this.threshold = this.kept[this.k - 1];
  }
}
