import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FormatError, isKAdapterError, NotFoundError } from '@kadapter/core';
import { expectError, tinyFixture, useTempDir } from '@kadapter/test-utils';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readJsonArray } from '../src/index.js';

const tempDir = useTempDir('kadapter-files-test-');

async function collect(file: string, chunkSize?: number) {
  const items = [];
  for await (const item of readJsonArray(file, { chunkSize })) items.push(item);
  return items;
}

async function errorOf(file: string, chunkSize?: number): Promise<unknown> {
  try {
    await collect(file, chunkSize);
  } catch (err) {
    return err;
  }
  return undefined;
}

describe('readJsonArray', () => {
  it('yields each element with its index and byte offset, in any chunk size', async () => {
    const dir = await tempDir();
    const file = join(dir, 'a.json');
    const parts = ['{"a":"é€"}', '[1,{"b":[]}]', '"s"', '4.5', 'null'];
    const text = `[ ${parts.join(' ,\n ')} ]\n`;
    await writeFile(file, text);
    // independent expectation: where each part's text starts, in UTF-8 bytes
    const offsets = parts.map((p) => Buffer.byteLength(text.slice(0, text.indexOf(p))));
    for (const chunkSize of [1, 3, 7, 1 << 16]) {
      const items = await collect(file, chunkSize);
      expect(items.map((i) => i.value)).toEqual(JSON.parse(text));
      expect(items.map((i) => i.index)).toEqual([0, 1, 2, 3, 4]);
      expect(items.map((i) => i.offset)).toEqual(offsets);
    }
  });

  it('reports malformed JSON mid-file with the byte offset, after yielding the elements before it', async () => {
    const dir = await tempDir();
    const file = join(dir, 'bad.json');
    const text = '[{"a":1},{"b":2x},{"c":3}]';
    await writeFile(file, text);
    const seen: unknown[] = [];
    let error: unknown;
    try {
      for await (const item of readJsonArray(file, { chunkSize: 4 })) seen.push(item.value);
    } catch (err) {
      error = err;
    }
    expect(seen).toEqual([{ a: 1 }]);
    expect(error).toBeInstanceOf(FormatError);
    expect((error as FormatError).location).toEqual({ file, offset: text.indexOf('x') });
    expect((error as FormatError).message).toContain(`${file} @byte ${text.indexOf('x')}`);
  });

  it.each([
    ['a top-level object', '{"a":1}', /expected a JSON array/],
    ['an empty file', '', /empty file/],
    ['a truncated array', '[{"a":1},{"b":', /truncated|malformed/],
    ['data after the array', '[1] {"x":2}', /malformed/],
    ['a trailing comma', '[1,2,]', /malformed/],
  ])('rejects %s with a FormatError', async (_name, text, message) => {
    const dir = await tempDir();
    const file = join(dir, 'x.json');
    await writeFile(file, text);
    const error = await errorOf(file);
    expect(error).toBeInstanceOf(FormatError);
    expect((error as FormatError).message).toMatch(message);
    expect((error as FormatError).location.file).toBe(file);
  });

  it('accepts whitespace after the array and an empty array', async () => {
    const dir = await tempDir();
    const file = join(dir, 'ws.json');
    await writeFile(file, '[]\n\n  ');
    expect(await collect(file)).toEqual([]);
  });

  it('a missing file is a NotFoundError naming it', async () => {
    const file = join(await tempDir(), 'nope.json');
    expect(await errorOf(file)).toBeInstanceOf(NotFoundError);
    await expectError(collect(file), 'E_NOT_FOUND', file);
  });

  it('property: streamed elements equal JSON.parse of the whole text, for any chunk size', async () => {
    const dir = await tempDir();
    const file = join(dir, 'p.json');
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.jsonValue(), { maxLength: 8 }),
        fc.integer({ min: 1, max: 64 }),
        async (arr, chunk) => {
          const text = JSON.stringify(arr, null, chunk % 3);
          await writeFile(file, text);
          const items = await collect(file, chunk);
          expect(items.map((i) => i.value)).toEqual(JSON.parse(text));
        },
      ),
      { numRuns: 60 },
    );
  });

  it('property: truncated or corrupted arrays fail only with FormatError', async () => {
    const dir = await tempDir();
    const file = join(dir, 'f.json');
    const valid = Buffer.from(JSON.stringify([{ a: [1, 2, { b: 'x"y' }] }, 'é', 3.5, null, true]));
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: valid.length - 1 }),
        fc.integer({ min: 0, max: 255 }),
        fc.boolean(),
        async (at, byte, truncate) => {
          const broken = truncate
            ? valid.subarray(0, at)
            : Buffer.concat([valid.subarray(0, at), Buffer.from([byte]), valid.subarray(at + 1)]);
          await writeFile(file, broken);
          const error = await errorOf(file, 5);
          if (error !== undefined) {
            expect(isKAdapterError(error, 'E_FORMAT'), String(error)).toBe(true);
            return;
          }
          // it parsed: then it must be what JSON.parse makes of the same bytes
          expect((await collect(file)).map((i) => i.value)).toEqual(JSON.parse(broken.toString('utf8')));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('yields the same values as JSON.parse across any chunk boundary, after a BOM and CRLF, with byte offsets', async () => {
    const values = [
      { s: 'a],[{"b"}\\"', n: [1, [2, { x: ']' }]] },
      'plain ]string, with comma',
      42,
      null,
      { unicode: 'café 東京 😀', esc: '\\\\', q: '"' },
      [],
      {},
      -1.5e3,
      true,
    ];
    const text = `\uFEFF [\n${values.map((v) => JSON.stringify(v)).join(' ,\r\n ')}\n]\n  `;
    const file = join(await tempDir(), 'values.json');
    await writeFile(file, text);
    for (const chunkSize of [1, 2, 3, 7, 64, 1 << 20]) {
      const got = await collect(file, chunkSize);
      expect(got.map((r) => r.value)).toEqual(values);
      expect(got.map((r) => r.index)).toEqual(values.map((_, i) => i));
    }
    const bytes = Buffer.from(text);
    for (const r of await collect(file)) {
      const start = r.offset;
      expect(JSON.parse(bytes.toString('utf8', start, start + Buffer.byteLength(JSON.stringify(r.value))))).toEqual(
        r.value,
      );
    }
  });

  it('reads the fixture examples like JSON.parse', async () => {
    const got = await collect(tinyFixture('examples/trex.json'), 5);
    expect(got.map((r) => r.value)).toEqual(JSON.parse(readFileSync(tinyFixture('examples/trex.json'), 'utf8')));
  });

  it('an empty array has no elements', async () => {
    const file = join(await tempDir(), 'empty.json');
    await writeFile(file, ' [ ] ');
    expect(await collect(file)).toEqual([]);
  });

  it('malformed input is a FormatError naming the file, the fault and its byte offset', async () => {
    const dir = await tempDir();
    const cases: Array<[string, string, string]> = [
      ['{"a": 1}', 'expected a JSON array', '@byte 0'],
      ['[1, 2,]', 'empty array element', '@byte 6'],
      ['[1,, 2]', 'empty array element', '@byte 3'],
      ['[, 1]', 'empty array element', '@byte 1'],
      ['[{"a": 1}, {"b": x}]', 'malformed JSON in array element 1', '@byte 17'],
      ['[{"a": 1}, {"b" 1}]', 'malformed JSON in array element 1', '@byte 16'],
      ['[1, 2', 'truncated', '@byte 5'],
      ['[1] 2', 'after the JSON array', '@byte 4'],
      ['', 'empty file', '@byte 0'],
      ['\uFEFF{}', 'expected a JSON array', '@byte 3'],
      ['\uFEFF[1,,2]', 'empty array element', '@byte 6'],
    ];
    for (const [i, [content, message, where]] of cases.entries()) {
      const file = join(dir, `bad${i}.json`);
      await writeFile(file, content);
      await expectError(collect(file, 2), 'E_FORMAT', file, message, where);
    }
  });
});
