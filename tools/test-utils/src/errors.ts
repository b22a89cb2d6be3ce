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
 * Checks that `p` fails with a typed error (a `code` and a `location`, as every `@kadapter/core`
 * error has) of `code` whose message contains every one of `parts`; returns the error.
 */
export async function expectError(
  p: Promise<unknown> | (() => unknown),
  code: string,
  ...parts: string[]
): Promise<Error> {
  const err = await errorOf(p);
  expect(err, `expected ${code}, got ${String(err)}`).toMatchObject({ code, location: expect.any(Object) });
  for (const part of parts) expect(err.message).toContain(part);
  return err;
}
