import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sharedPath, tinyFixture } from '@kadapter/test-utils';
import { afterAll, describe, expect, it } from 'vitest';
import { formatOf, type InputRecord, readCsv, readJsonArray, readJsonLines, readRecords } from '../src/index.js';
import { expectError } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'kadapter-encode-read-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

async function all(it: AsyncIterable<InputRecord>): Promise<InputRecord[]> {
  const out: InputRecord[] = [];
  for await (const r of it) out.push(r);
  return out;
}

describe('JSON array reader', () => {
  it('yields the same values as JSON.parse, across any chunk boundary, with byte offsets', async () => {
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
    const path = file('values.json', text);
    for (const chunkSize of [1, 2, 3, 7, 64, 1 << 20]) {
      const got = await all(readJsonArray(path, { chunkSize }));
      expect(got.map((r) => r.value)).toEqual(values);
      expect(got.map((r) => r.index)).toEqual(values.map((_, i) => i));
    }
    const bytes = Buffer.from(text);
    const got = await all(readJsonArray(path));
    for (const r of got) {
      const start = r.where.offset!;
      expect(JSON.parse(bytes.toString('utf8', start, start + Buffer.byteLength(JSON.stringify(r.value))))).toEqual(
        r.value,
      );
    }
  });

  it('reads the fixture examples like JSON.parse', async () => {
    const got = await all(readJsonArray(tinyFixture('examples/trex.json'), { chunkSize: 5 }));
    const { readFileSync } = await import('node:fs');
    expect(got.map((r) => r.value)).toEqual(JSON.parse(readFileSync(tinyFixture('examples/trex.json'), 'utf8')));
  });

  it('an empty array has no records', async () => {
    expect(await all(readJsonArray(file('empty.json', ' [ ] ')))).toEqual([]);
  });

  it('malformed input is a FormatError naming the file and byte offset', async () => {
    const cases: Array<[string, string, string]> = [
      ['{"a": 1}', 'expected a JSON array', '@byte 0'],
      ['[1, 2,]', 'empty array element', '@byte 6'],
      ['[1,, 2]', 'empty array element', '@byte 3'],
      ['[{"a": 1}, {"b": x}]', 'malformed JSON in array element 1', '@byte 11'],
      ['[{"a": 1}, {"b" 1}]', 'malformed JSON in array element 1', '@byte 16'],
      ['[1, 2', 'truncated', '@byte 5'],
      ['[1] 2', 'after the JSON array', '@byte 4'],
      ['', 'empty file', '@byte 0'],
    ];
    for (const [i, [content, message, where]] of cases.entries()) {
      const path = file(`bad${i}.json`, content);
      await expectError(all(readJsonArray(path, { chunkSize: 2 })), 'E_FORMAT', path, message, where);
    }
  });

  it('a missing file is a NotFoundError naming it', async () => {
    await expectError(all(readJsonArray(join(dir, 'nope.json'))), 'E_NOT_FOUND', 'nope.json');
  });
});

describe('JSON lines reader', () => {
  it('skips blank lines, numbers records and lines, reports a bad line', async () => {
    const path = file('a.jsonl', '\uFEFF{"a": 1}\r\n\r\n{"a": 2}\n');
    const got = await all(readJsonLines(path));
    expect(got.map((r) => [r.value, r.index, r.where.line])).toEqual([
      [{ a: 1 }, 0, 1],
      [{ a: 2 }, 1, 3],
    ]);
    const bad = file('bad.jsonl', '{"a": 1}\n{"a": \n');
    await expectError(all(readJsonLines(bad)), 'E_FORMAT', `${bad}:2`);
  });
});

describe('CSV reader', () => {
  it('reads the real CosmosQA valid.csv (2,985 rows, CRLF, doubled quotes)', async () => {
    const got = await all(readCsv(sharedPath('data', 'cosmosqa', 'valid.csv')));
    expect(got.length).toBe(2985);
    const first = got[0]!.value as Record<string, string>;
    expect(Object.keys(first)).toEqual([
      'id',
      'context',
      'question',
      'answer0',
      'answer1',
      'answer2',
      'answer3',
      'label',
    ]);
    expect(first.question).toBe('Why is this person asking about divorce ?');
    expect(first.label).toBe('1');
    expect(got[1]!.where.line).toBe(3);
    // label counts from the dataset README (744 / 729 / 761 / 751)
    const counts = [0, 0, 0, 0];
    for (const r of got) counts[Number((r.value as { label: string }).label)]!++;
    expect(counts).toEqual([744, 729, 761, 751]);
  });

  it('malformed CSV is a FormatError naming the file and line', async () => {
    const path = file('bad.csv', 'a,b\n1,2\n3,"unclosed\n');
    await expectError(all(readCsv(path)), 'E_FORMAT', path);
  });
});

describe('format from the file name', () => {
  it('maps .jsonl, .csv and anything else', () => {
    expect([formatOf('x.jsonl'), formatOf('x.CSV'), formatOf('x.json'), formatOf('x')]).toEqual([
      'jsonl',
      'csv',
      'json',
      'json',
    ]);
  });

  it('readRecords dispatches on the format', async () => {
    const got = await all(readRecords(tinyFixture('examples/cosmosqa.jsonl')));
    expect(got.length).toBe(2);
    expect(() => readRecords('x', 'xml' as never)).toThrowError(/unknown input format/);
  });
});
