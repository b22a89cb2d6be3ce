import crypto from 'node:crypto';

/**
 * sha256 as hex. `crypto.hash` (Node >= 20.12) is the one-shot form, several times faster than a
 * `Hash` object per call, which matters for the million gloss candidates; both give the same hex.
 */
const sha256Hex: (text: string) => string =
  typeof crypto.hash === 'function'
    ? (text) => crypto.hash('sha256', text)
    : (text) => crypto.createHash('sha256').update(text).digest('hex');

/**
 * A seeded pseudo-random number in [0, 1) for a string: the first 48 bits of
 * sha256(`seed` NUL `text`). The same seed and text give the same number on every machine and in
 * every input order, which is what makes sampling and splitting reproducible.
 */
export function seededUnit(seed: string, text: string): number {
  return Number.parseInt(sha256Hex(`${seed}\u0000${text}`).slice(0, 12), 16) / 2 ** 48;
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
 * of the offers, and any prefix of the result is a uniform sample too. An id offered again is
 * kept once. Memory: at most 2k items (the buffer is cut back to k whenever it doubles).
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
    // an id offered twice (the same sentence in two input files) is kept once
    this.kept = this.kept.filter((x, i, all) => i === 0 || (all[i - 1] as Keyed<T>).id !== x.id);
    if (this.kept.length > this.k) this.kept.length = this.k;
    if (this.kept.length === this.k) this.threshold = this.kept[this.k - 1];
  }
}
