import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expectError, sharedPath, tinyFixture, useTempDir } from '@kadapter/test-utils';
import { beforeAll, describe, expect, it } from 'vitest';
import { formatOf, readCsv, readRecords } from '../src/index.js';
import type { InputRecord } from '@kadapter/core';

const tempDir = useTempDir('kadapter-encode-read-');
let dir = '';
beforeAll(async () => {
  dir = await tempDir();
});

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

  it('readRecords gives each record its file and line (JSON lines) or byte offset (JSON array)', async () => {
    const jsonl = file('r.jsonl', '{"a": 1}\n\n{"a": 2}\n');
    expect((await all(readRecords(jsonl))).map((r) => [r.value, r.index, r.where])).toEqual([
      [{ a: 1 }, 0, { file: jsonl, line: 1 }],
      [{ a: 2 }, 1, { file: jsonl, line: 3 }],
    ]);
    const text = '[{"a": 1}, "é", 3]';
    const json = file('r.json', text);
    // byte offsets of each element's first byte, computed from the text
    const offsets = ['{"a": 1}', '"é"', '3'].map((p) => Buffer.byteLength(text.slice(0, text.indexOf(p))));
    expect((await all(readRecords(json))).map((r) => [r.value, r.index, r.where])).toEqual([
      [{ a: 1 }, 0, { file: json, offset: offsets[0] }],
      ['é', 1, { file: json, offset: offsets[1] }],
      [3, 2, { file: json, offset: offsets[2] }],
    ]);
    await expectError(all(readRecords(join(dir, 'nope.json'))), 'E_NOT_FOUND', 'nope.json');
  });
});
