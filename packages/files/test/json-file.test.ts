import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expectError, useTempDir } from '@kadapter/test-utils';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { asJsonObject, isJsonObject, parseJson, readJsonFile, readTextFile } from '../src/index.js';

const tempDir = useTempDir('kadapter-files-json-');

async function fileWith(text: string, name = 'x.json'): Promise<string> {
  const path = join(await tempDir(), name);
  await writeFile(path, text);
  return path;
}

describe('readJsonFile', () => {
  it('parses a file', async () => {
    expect(await readJsonFile(await fileWith('{"a": [1, "é"]}'))).toEqual({ a: [1, 'é'] });
  });

  it('bad JSON is a FormatError with the line and the UTF-8 byte offset of the fault', async () => {
    // the fault is the "}" after a trailing comma, on line 4; é before it is two bytes
    const text = '{\n "model_type": "roberta",\n "name": "é",\n}\n';
    const offset = Buffer.byteLength(text.slice(0, text.lastIndexOf('}')));
    expect(offset).toBe(text.lastIndexOf('}') + 1);
    const path = await fileWith(text);
    const err = await expectError(readJsonFile(path), 'E_FORMAT', `${path}:4 @byte ${offset}: invalid JSON`);
    expect((err as unknown as { location: object }).location).toEqual({ file: path, line: 4, offset });
  });

  it('a truncated file names the end of the text', async () => {
    const path = await fileWith('{"a": [1, 2');
    await expectError(readJsonFile(path), 'E_FORMAT', `${path}:1 @byte 11`);
  });

  it('a missing file or a directory is a NotFoundError naming it', async () => {
    const dir = await tempDir();
    await expectError(readJsonFile(join(dir, 'nope.json')), 'E_NOT_FOUND', join(dir, 'nope.json'), 'no such file');
    await mkdir(join(dir, 'sub'));
    await expectError(readTextFile(join(dir, 'sub')), 'E_NOT_FOUND', join(dir, 'sub'), 'EISDIR');
  });

  it('with a schema: the validated value, or a FormatError naming the first offending field', async () => {
    const schema = z.object({ name: z.string(), sizes: z.object({ hidden: z.number().int().positive() }) });
    const ok = await readJsonFile(await fileWith('{"name": "a", "sizes": {"hidden": 64}, "extra": 1}'), schema);
    expect(ok).toEqual({ name: 'a', sizes: { hidden: 64 } });
    const bad = await fileWith('{"name": "a", "sizes": {"hidden": -1}}');
    const err = await expectError(readJsonFile(bad, schema), 'E_FORMAT', bad, "field 'sizes.hidden'");
    expect((err as unknown as { location: object }).location).toEqual({ file: bad, field: 'sizes.hidden' });
    const notObject = await fileWith('[1]');
    await expectError(readJsonFile(notObject, schema), 'E_FORMAT', notObject);
  });
});

describe('parseJson, isJsonObject, asJsonObject', () => {
  it('parseJson names the given file', () => {
    expect(parseJson('[1]', 'mem.json')).toEqual([1]);
    return expectError(() => parseJson('[1,', 'mem.json'), 'E_FORMAT', 'mem.json:1 @byte 3');
  });

  it('objects only', async () => {
    expect([{}, { a: 1 }, [], null, 'x', 1].map(isJsonObject)).toEqual([true, true, false, false, false, false]);
    expect(asJsonObject({ a: 1 }, 'f.json')).toEqual({ a: 1 });
    await expectError(() => asJsonObject([1], 'f.json', 'weight_map'), 'E_FORMAT', "f.json, field 'weight_map'");
  });
});
