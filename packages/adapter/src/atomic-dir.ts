import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { InputError } from '@kadapter/core';

export interface WriteDirectoryOptions {
  /** replace an existing, non-empty directory (default false: refuse) */
  overwrite?: boolean;
}

/**
 * Writes a directory atomically: `fill` writes every file into a fresh temp directory beside
 * `dir`, which is then renamed to `dir`. If `fill` fails the temp directory is removed and `dir`
 * is untouched; an existing non-empty `dir` is refused unless `overwrite` is set, in which case it
 * is swapped out only once the new one is complete.
 */
export async function writeDirectoryAtomic(
  dir: string,
  fill: (tmpDir: string) => Promise<void>,
  options: WriteDirectoryOptions = {},
): Promise<void> {
  const target = resolve(dir);
  const existing = await listIfExists(target);
  if (existing !== undefined && existing.length > 0 && !options.overwrite) {
    throw new InputError('output directory exists and is not empty (pass overwrite to replace it)', { file: target });
  }
  await mkdir(dirname(target), { recursive: true });
  const tag = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const tmp = join(dirname(target), `.${basename(target)}.tmp-${tag}`);
  await mkdir(tmp);
  try {
    await fill(tmp);
  } catch (err) {
    await rm(tmp, { recursive: true, force: true });
    throw err;
  }
  if (existing === undefined) {
    await rename(tmp, target);
    return;
  }
  const old = join(dirname(target), `.${basename(target)}.old-${tag}`);
  await rename(target, old);
  try {
    await rename(tmp, target);
  } catch (err) {
    await rename(old, target);
    await rm(tmp, { recursive: true, force: true });
    throw err;
  }
  await rm(old, { recursive: true, force: true });
}

async function listIfExists(dir: string): Promise<string[] | undefined> {
  try {
    if (!(await stat(dir)).isDirectory())
      throw new InputError('output path exists and is not a directory', { file: dir });
    return await readdir(dir);
  } catch (err) {
    if ((err as { code?: string }).code === 'ENOENT') return undefined;
    throw err;
  }
}
