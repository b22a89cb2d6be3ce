import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expectError, useTempDir } from '@kadapter/test-utils';
import { describe, expect, it } from 'vitest';
import { type JsonLine, readJsonLines, readLines, type TextLine } from '../src/index.js';

const tempDir = useTempDir('kadapter-files-lines-');

async function all<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

async function fileWith(text: string | Buffer, name = 'x.txt'): Promise<string> {
  const path = join(await tempDir(), name);
  await writeFile(path, text);
  return path;
}

describe('readLines', () => {
  it('numbers LF and CRLF lines from 1, without terminators or a leading BOM', async () => {
    const got = await all<TextLine>(readLines(await fileWith('\uFEFFa\r\nb\n\nlast é')));
    expect(got).toEqual([
      { line: 'a', number: 1 },
      { line: 'b', number: 2 },
      { line: '', number: 3 },
      { line: 'last é', number: 4 },
    ]);
  });

  it('long lines across read chunks', async () => {
    const long = 'x'.repeat(200_000);
    expect((await all<TextLine>(readLines(await fileWith(`${long}\n${long}\n`)))).map((l) => l.line.length)).toEqual([
      200_000, 200_000,
    ]);
  });

  it('a missing file is a NotFoundError naming it', async () => {
    const path = join(await tempDir(), 'nope.txt');
    await expectError(all(readLines(path)), 'E_NOT_FOUND', path);
  });
});

describe('readJsonLines', () => {
  it('skips blank lines, numbers values and lines, reports a bad line', async () => {
    const path = await fileWith('\uFEFF{"a": 1}\r\n\r\n{"a": 2}\n', 'a.jsonl');
    expect(await all<JsonLine>(readJsonLines(path))).toEqual([
      { value: { a: 1 }, index: 0, line: 1 },
      { value: { a: 2 }, index: 1, line: 3 },
    ]);
    const bad = await fileWith('{"a": 1}\n{"a": \n', 'bad.jsonl');
    await expectError(all(readJsonLines(bad)), 'E_FORMAT', `${bad}:2`, 'invalid JSON');
  });
});
