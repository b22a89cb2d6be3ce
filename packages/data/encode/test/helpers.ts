import { isKAdapterError } from '@kadapter/core';
import { expect } from 'vitest';
import type { InputRecord } from '../src/index.js';

/** In-memory records, as a reader would yield them. */
export function records(values: unknown[], file = 'memory.json'): InputRecord[] {
  return values.map((value, index) => ({ value, index, where: { file, offset: index } }));
}

/** Awaits `p` and checks it rejects with a KAdapterError of `code` whose message has every part. */
export async function expectError(p: Promise<unknown>, code: string, ...parts: string[]): Promise<Error> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isKAdapterError(err, code as never), `expected ${code}, got ${String(err)}`).toBe(true);
  for (const part of parts) expect((err as Error).message).toContain(part);
  return err as Error;
}
