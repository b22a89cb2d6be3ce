import { DataError, deserializeError, FormatError, KAdapterError } from '@kadapter/core';
import { describe, expect, it } from 'vitest';
import { toJobError } from '../src/job-error.js';

describe('typed errors stored in job data', () => {
  it('come back with the same class, code, message and location (through JSON, as in Redis)', () => {
    for (const err of [
      new DataError('document 3: invalid_document: boom', { file: '/d/a.json', offset: 120, field: 'text' }),
      new FormatError('unexpected end', { file: '/d/b.json', offset: 7 }),
      new KAdapterError('E_BUDGET', 'too big', { field: 'x' }),
    ]) {
      const back = deserializeError(JSON.parse(JSON.stringify(toJobError(err))));
      expect(back.constructor).toBe(err.constructor);
      expect([back.code, back.message, back.location]).toEqual([err.code, err.message, err.location]);
    }
  });

  it('other errors are not stored (they are retried)', () => {
    expect(toJobError(new Error('ECONNRESET'))).toBeUndefined();
  });
});
