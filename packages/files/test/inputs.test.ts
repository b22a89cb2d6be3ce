import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expectError, useTempDir } from '@kadapter/test-utils';
import { describe, expect, it } from 'vitest';
import { hashFile, listInputFiles } from '../src/index.js';

const tempDir = useTempDir('kadapter-files-inputs-');

describe('hashFile', () => {
  it('sha256 and size, streamed (FIPS 180-2 test vectors)', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'abc'), 'abc');
    await writeFile(join(dir, 'million-a'), 'a'.repeat(1_000_000));
    await writeFile(join(dir, 'empty'), '');
    expect(await hashFile(join(dir, 'abc'))).toEqual({
      sha256: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
      bytes: 3,
    });
    expect(await hashFile(join(dir, 'million-a'))).toEqual({
      sha256: 'cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0',
      bytes: 1_000_000,
    });
    expect(await hashFile(join(dir, 'empty'))).toEqual({
      sha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      bytes: 0,
    });
  });

  it('a missing file is a NotFoundError naming it', async () => {
    const path = join(await tempDir(), 'nope');
    await expectError(hashFile(path), 'E_NOT_FOUND', path);
  });
});

describe('listInputFiles', () => {
  it('expands directories (not recursive, hidden names skipped), filters extensions, dedups and sorts', async () => {
    const dir = await tempDir();
    await mkdir(join(dir, 'in', 'deeper'), { recursive: true });
    for (const name of ['b.json', 'a.json', '.hidden.json', 'notes.txt', 'deeper/c.json'])
      await writeFile(join(dir, 'in', name), '[]');
    await writeFile(join(dir, 'Z.json'), '[]');
    const inputs = [join(dir, 'in'), join(dir, 'Z.json'), join(dir, 'in', 'a.json')];
    expect(await listInputFiles(inputs, { extensions: ['.json'] })).toEqual([
      join(dir, 'Z.json'),
      join(dir, 'in', 'a.json'),
      join(dir, 'in', 'b.json'),
    ]);
    expect(await listInputFiles([join(dir, 'in')])).toEqual(
      ['a.json', 'b.json', 'notes.txt'].map((n) => join(dir, 'in', n)),
    );
  });

  it('refuses no inputs, a missing input and directories without files', async () => {
    const dir = await tempDir();
    await expectError(listInputFiles([]), 'E_INPUT', 'no input files');
    await expectError(listInputFiles([join(dir, 'nope')]), 'E_NOT_FOUND', join(dir, 'nope'));
    await mkdir(join(dir, 'empty'));
    await expectError(listInputFiles([join(dir, 'empty')]), 'E_INPUT', 'hold no files');
  });
});
