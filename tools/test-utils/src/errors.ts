import { expect } from 'vitest';

/** What `p` rejects with (or `p()` throws); fails the test when nothing fails. */
export async function errorOf(p: Promise<unknown> | (() => unknown)): Promise<Error> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected an error, none was thrown');
}

/**
 * True when `err` is a `KAdapterError` of `@kadapter/core` (found by class name along its prototype
 * chain: test-utils cannot import core, which uses it in its own tests) with the given code.
 */
export function isTypedError(err: unknown, code?: string): boolean {
  for (let p = err instanceof Error ? Object.getPrototypeOf(err) : null; p; p = Object.getPrototypeOf(p)) {
    if (p.constructor?.name === 'KAdapterError') return code === undefined || (err as { code?: unknown }).code === code;
  }
  return false;
}

/**
 * Checks that `p` fails with a `KAdapterError` of `code` whose message contains every one of
 * `parts`; returns the error.
 */
export async function expectError(
  p: Promise<unknown> | (() => unknown),
  code: string,
  ...parts: string[]
): Promise<Error> {
  const err = await errorOf(p);
  expect(isTypedError(err, code), `expected ${code}, got ${String(err)}`).toBe(true);
  for (const part of parts) expect(err.message).toContain(part);
  return err;
}
