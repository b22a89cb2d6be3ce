import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expectError, useTempDir } from '@kadapter/test-utils';
import { describe, expect, it } from 'vitest';
import { AtomicFile, writeAll, writeDirectoryAtomic, writeFileAtomic } from '../src/index.js';

const tempDir = useTempDir('kadapter-files-atomic-');

/** Names in `dir` that are temp or swapped-out leftovers of an atomic write. */
const leftovers = async (dir: string) => (await readdir(dir)).filter((n) => /\.(tmp|old)-/.test(n));

describe('writeFileAtomic', () => {
  it('writes text, bytes, or through a handle, replacing an existing file', async () => {
    const dir = await tempDir();
    const path = join(dir, 'a.txt');
    await writeFileAtomic(path, 'é€\n');
    expect(await readFile(path, 'utf8')).toBe('é€\n');
    await writeFileAtomic(path, new Uint8Array([0, 255, 7]));
    expect([...(await readFile(path))]).toEqual([0, 255, 7]);
    const big = new Uint8Array(3 << 20).map((_, i) => i % 251);
    await writeFileAtomic(path, async (handle) => {
      await writeAll(handle, big.subarray(0, 1000));
      await writeAll(handle, big.subarray(1000));
    });
    expect(Buffer.compare(await readFile(path), Buffer.from(big))).toBe(0);
    expect(await leftovers(dir)).toEqual([]);
  });

  it('a failing writer leaves the old file untouched and no temp file', async () => {
    const dir = await tempDir();
    const path = join(dir, 'keep.txt');
    await writeFile(path, 'old');
    const boom = writeFileAtomic(path, async (handle) => {
      await handle.write('partial');
      throw new Error('boom');
    });
    await expect(boom).rejects.toThrow('boom');
    expect(await readFile(path, 'utf8')).toBe('old');
    expect(await leftovers(dir)).toEqual([]);
  });

  it('a missing directory is a NotFoundError naming the file; nothing is created', async () => {
    const dir = await tempDir();
    const path = join(dir, 'no', 'such', 'file.json');
    await expectError(writeFileAtomic(path, '{}'), 'E_NOT_FOUND', path, 'does not exist');
    expect(existsSync(join(dir, 'no'))).toBe(false);
  });
});

describe('AtomicFile', () => {
  it('appears only on commit, with everything written (across the 1 MiB flush), in a new directory', async () => {
    const dir = await tempDir();
    const path = join(dir, 'sub', 'out.jsonl');
    const file = await AtomicFile.create(path);
    const lines = Array.from({ length: 30_000 }, (_, i) => `{"i":${i},"pad":"${'x'.repeat(40)}"}\n`);
    for (const line of lines) await file.write(line);
    await file.write(new Uint8Array([0x41, 0x0a]));
    expect(existsSync(path)).toBe(false);
    await file.commit();
    await file.commit(); // a second commit does nothing
    expect(await readFile(path, 'utf8')).toBe(`${lines.join('')}A\n`);
    expect(await leftovers(join(dir, 'sub'))).toEqual([]);
  });

  it('abort removes the temp file and keeps an existing file', async () => {
    const dir = await tempDir();
    const path = join(dir, 'x.txt');
    await writeFile(path, 'old');
    const file = await AtomicFile.create(path);
    await file.write('new');
    await file.abort();
    await file.commit(); // after abort: nothing
    expect(await readFile(path, 'utf8')).toBe('old');
    expect(await leftovers(dir)).toEqual([]);
  });
});

describe('writeDirectoryAtomic', () => {
  const fillWith = (files: Record<string, string>) => async (tmp: string) => {
    for (const [name, text] of Object.entries(files)) await writeFile(join(tmp, name), text);
  };
  const contents = async (dir: string) =>
    Object.fromEntries(
      await Promise.all((await readdir(dir)).map(async (n) => [n, await readFile(join(dir, n), 'utf8')])),
    );

  it('publishes a complete directory, refuses a non-empty one unless overwrite, then swaps it', async () => {
    const root = await tempDir();
    const dir = join(root, 'nested', 'out');
    expect(await writeDirectoryAtomic(dir, fillWith({ 'a.txt': '1' }))).toBe(true);
    expect(await contents(dir)).toEqual({ 'a.txt': '1' });
    await expectError(writeDirectoryAtomic(dir, fillWith({ 'b.txt': '2' })), 'E_INPUT', dir, 'not empty');
    expect(await contents(dir)).toEqual({ 'a.txt': '1' });
    expect(await writeDirectoryAtomic(dir, fillWith({ 'b.txt': '2' }), { overwrite: true })).toBe(true);
    expect(await contents(dir)).toEqual({ 'b.txt': '2' });
    expect((await readdir(join(root, 'nested'))).sort()).toEqual(['out']);
  });

  it('a failing fill leaves no temp directory and the old directory untouched', async () => {
    const root = await tempDir();
    const dir = join(root, 'out');
    await mkdir(dir);
    await writeFile(join(dir, 'keep.txt'), 'old');
    const failing = writeDirectoryAtomic(
      dir,
      async (tmp) => {
        await writeFile(join(tmp, 'half.txt'), 'x');
        throw new Error('fill failed');
      },
      { overwrite: true },
    );
    await expect(failing).rejects.toThrow('fill failed');
    expect(await contents(dir)).toEqual({ 'keep.txt': 'old' });
    expect(await readdir(root)).toEqual(['out']);
  });

  it('keepExisting keeps a directory that exists or appears while filling, and drops the new one', async () => {
    const root = await tempDir();
    const dir = join(root, 'cache-key');
    await mkdir(dir);
    await writeFile(join(dir, 'm.json'), 'first');
    let filled = false;
    const skipped = await writeDirectoryAtomic(
      dir,
      async () => {
        filled = true;
      },
      { keepExisting: true },
    );
    expect([skipped, filled]).toEqual([false, false]);

    const raced = join(root, 'raced');
    const kept = await writeDirectoryAtomic(
      raced,
      async (tmp) => {
        await writeFile(join(tmp, 'm.json'), 'second');
        // another process publishes the same directory while this one is being filled
        await mkdir(raced);
        await writeFile(join(raced, 'm.json'), 'other');
      },
      { keepExisting: true },
    );
    expect(kept).toBe(false);
    expect(await contents(raced)).toEqual({ 'm.json': 'other' });
    expect((await readdir(root)).sort()).toEqual(['cache-key', 'raced']);
  });

  it('a path that is a file is refused', async () => {
    const root = await tempDir();
    const path = join(root, 'file');
    await writeFile(path, 'x');
    await expectError(writeDirectoryAtomic(path, fillWith({})), 'E_INPUT', path, 'not a directory');
  });
});
