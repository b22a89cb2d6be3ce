import { readFileSync } from 'node:fs';
import { tinyFixture } from '@kadapter/test-utils';

/** Index of the single 1 in each row of a float one-hot tensor [N, L]. */
export function oneHotIndex(values: number[], L: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < values.length; i += L) out.push(values.slice(i, i + L).indexOf(1));
  return out;
}

export interface VectorsIndex {
  dropped_examples: Record<string, { indices: number[] }>;
  tokens: Record<string, string[][]>;
}

export const vectorsIndex = JSON.parse(readFileSync(tinyFixture('vectors.json'), 'utf8')) as VectorsIndex;
