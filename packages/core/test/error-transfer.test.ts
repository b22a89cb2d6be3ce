import { describe, expect, it } from 'vitest';
import {
  ChecksumError,
  DataError,
  deserializeError,
  errorDetail,
  FormatError,
  KAdapterError,
  NotFoundError,
  type SerializedError,
  serializeError,
} from '../src/index.js';

/** What the other side of a worker thread or a Redis job receives. */
const across = (s: SerializedError): SerializedError => structuredClone(JSON.parse(JSON.stringify(s)));

describe('typed errors across a thread or process boundary', () => {
  it('come back with the same class, code, message and location', () => {
    for (const err of [
      new DataError('document 3: invalid_document: boom', { file: '/d/a.json', offset: 120, field: 'text' }),
      new FormatError('unexpected end', { file: '/d/b.json', line: 2, offset: 7 }),
      new NotFoundError('no such file', { file: '/d/c.json' }),
      new ChecksumError('sha256 differs'),
    ]) {
      const back = deserializeError(across(serializeError(err)));
      expect(back.constructor).toBe(err.constructor);
      expect(back).toBeInstanceOf(KAdapterError);
      expect([(back as KAdapterError).code, back.message, (back as KAdapterError).location]).toEqual([
        err.code,
        err.message,
        err.location,
      ]);
    }
  });

  it('a code without a class here comes back as a KAdapterError with that code', () => {
    const back = deserializeError(across(serializeError(new KAdapterError('E_BUDGET', 'too big', { field: 'x' }))));
    expect(back.constructor).toBe(KAdapterError);
    expect([(back as KAdapterError).code, back.message]).toEqual(['E_BUDGET', "field 'x': too big"]);
  });

  it('other errors keep their message and stack, and carry no code', () => {
    const err = new TypeError('x is not a function');
    const s = serializeError(err);
    expect(s).toEqual({ detail: 'x is not a function', stack: err.stack });
    const back = deserializeError(across(s));
    expect(back).not.toBeInstanceOf(KAdapterError);
    expect([back.message, back.stack]).toEqual([err.message, err.stack]);
    expect(serializeError('a string').detail).toBe('a string');
  });

  it('errorDetail is the message without the location prefix', () => {
    expect(errorDetail(new FormatError('bad header', { file: 'a.safetensors', offset: 8 }))).toBe('bad header');
    expect(new FormatError('bad header', { file: 'a.safetensors', offset: 8 }).message).toBe(
      'a.safetensors @byte 8: bad header',
    );
  });
});
