import { describe, expect, it } from 'vitest';
import { errorOf, expectError, isTypedError } from '../src/index.js';

// stand-ins with the class names of @kadapter/core (which test-utils cannot import)
class KAdapterError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}
class FormatError extends KAdapterError {
  constructor(message: string) {
    super('E_FORMAT', message);
  }
}

describe('errorOf, isTypedError, expectError', () => {
  it('errorOf returns what a promise rejects with or a function throws, and fails otherwise', async () => {
    expect((await errorOf(Promise.reject(new Error('a')))).message).toBe('a');
    expect(
      (
        await errorOf(() => {
          throw new Error('b');
        })
      ).message,
    ).toBe('b');
    expect((await errorOf(errorOf(Promise.resolve(1)))).message).toMatch(/expected an error/);
  });

  it('isTypedError finds KAdapterError along the prototype chain and checks the code', () => {
    expect(isTypedError(new FormatError('x'))).toBe(true);
    expect(isTypedError(new FormatError('x'), 'E_FORMAT')).toBe(true);
    expect(isTypedError(new FormatError('x'), 'E_DATA')).toBe(false);
    expect(isTypedError(Object.assign(new Error('x'), { code: 'E_FORMAT' }), 'E_FORMAT')).toBe(false);
    expect(isTypedError({ code: 'E_FORMAT' }, 'E_FORMAT')).toBe(false);
  });

  it('expectError passes on the right code and message parts and fails otherwise', async () => {
    const err = await expectError(Promise.reject(new FormatError('a.json @byte 3: bad')), 'E_FORMAT', 'a.json', 'bad');
    expect(err.message).toBe('a.json @byte 3: bad');
    await expect(expectError(Promise.reject(new FormatError('bad')), 'E_DATA')).rejects.toThrow(/expected E_DATA/);
    await expect(expectError(Promise.reject(new FormatError('bad')), 'E_FORMAT', 'good')).rejects.toThrow();
    await expect(expectError(Promise.resolve(), 'E_FORMAT')).rejects.toThrow(/expected an error/);
  });
});
