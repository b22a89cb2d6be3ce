import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DataError, FormatError, NotFoundError } from '@kadapter/core';
import { useTempDir } from '@kadapter/test-utils';
import { beforeAll, describe, expect, it } from 'vitest';
import { readTrexRc, readTrexRcSplit, type TrexExample } from '../src/index.js';
import { CLEAN_FIXTURE, readJson } from './helpers.js';

const tempDir = useTempDir('kadapter-trex-test-');

async function all(it: AsyncIterable<TrexExample>): Promise<TrexExample[]> {
  const out: TrexExample[] = [];
  for await (const e of it) out.push(e);
  return out;
}

describe('reading trex-rc files', () => {
  let cleaned: TrexExample[];
  beforeAll(async () => {
    cleaned = await readJson<TrexExample[]>(CLEAN_FIXTURE('cleaned.json'));
  });

  it('reads a released-style train.json / dev.json (one JSON array) from a dataset directory', async () => {
    const dir = await tempDir();
    // cleaned.json is written by the official json.dump, the same call that wrote train.json
    await writeFile(
      join(dir, 'train.json'),
      await (await import('node:fs/promises')).readFile(CLEAN_FIXTURE('cleaned.json')),
    );
    await writeFile(join(dir, 'dev.json'), JSON.stringify(cleaned.slice(0, 3)));
    expect(await all(readTrexRcSplit(dir, 'train'))).toEqual(cleaned);
    expect(await all(readTrexRcSplit(dir, 'dev'))).toEqual(cleaned.slice(0, 3));
    await expect(all(readTrexRcSplit(await tempDir(), 'train'))).rejects.toThrow(NotFoundError);
  });

  it('reads JSONL shards', async () => {
    const dir = await tempDir();
    const file = join(dir, 'x.jsonl');
    await writeFile(file, `${cleaned.map((e) => JSON.stringify(e)).join('\n')}\n\n`);
    expect(await all(readTrexRc(file))).toEqual(cleaned);
  });

  it('names the file, line and field of a bad record, or skips it through onInvalid', async () => {
    const dir = await tempDir();
    const file = join(dir, 'bad.jsonl');
    const bad = { ...cleaned[1], obj_end: 999 };
    await writeFile(file, [cleaned[0], bad, cleaned[2]].map((e) => JSON.stringify(e)).join('\n'));
    const err = await all(readTrexRc(file)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataError);
    expect((err as DataError).location).toEqual({ file, line: 2, field: 'obj_end' });
    const skipped: DataError[] = [];
    expect(await all(readTrexRc(file, { onInvalid: (e) => skipped.push(e) }))).toEqual([cleaned[0], cleaned[2]]);
    expect(skipped).toHaveLength(1);
    await writeFile(file, `${JSON.stringify(cleaned[0])}\n{not json\n`);
    const parse = await all(readTrexRc(file)).catch((e: unknown) => e);
    expect((parse as DataError).location).toMatchObject({ file, line: 2 });
  });

  it('names the byte offset in a JSON array file', async () => {
    const dir = await tempDir();
    await mkdir(dir, { recursive: true });
    const file = join(dir, 'train.json');
    const text = JSON.stringify([cleaned[0], { ...cleaned[1], subj_start: 5, subj_end: 2 }]);
    await writeFile(file, text);
    const err = await all(readTrexRc(file)).catch((e: unknown) => e);
    expect((err as DataError).location).toEqual({
      file,
      offset: Buffer.byteLength(text.slice(0, text.indexOf('{', 2))),
      field: 'subj_end',
    });
    await writeFile(file, text.slice(0, 100));
    expect(await all(readTrexRc(file)).catch((e: unknown) => e)).toBeInstanceOf(FormatError);
  });
});
