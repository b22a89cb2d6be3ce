import { readFileSync } from 'node:fs';
import { SafetensorsFile } from '@kadapter/io';
import { tinyFixture } from '@kadapter/test-utils';

/** A tensor of the fixture's vectors.safetensors (official outputs) as plain numbers. */
export async function vector(name: string): Promise<{ shape: number[]; values: number[] }> {
  const file = await SafetensorsFile.open(tinyFixture('vectors.safetensors'));
  try {
    const raw = await file.readRaw(name);
    return { shape: raw.shape, values: Array.from(raw.data as ArrayLike<number | bigint>, Number) };
  } finally {
    await file.close();
  }
}

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
