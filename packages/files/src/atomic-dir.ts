import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { InputError } from '@kadapter/core';

export interface WriteDirectoryOptions {
  /** replace an existing, non-empty directory (default false: refuse) */
  overwrite?: boolean;
  /**
   * when the directory exists (already, or because another process published it meanwhile), keep
   * it and discard this write instead of refusing: for content-addressed directories such as caches
   */
  keepExisting?: boolean;
}

/**
 * Writes a directory atomically: `fill` writes every file into a fresh hidden temp directory
 * (`.<name>.tmp-<pid>-<random>`) beside `dir`, which is then renamed to `dir`. If `fill` fails the
 * temp directory is removed and `dir` is untouched. An existing non-empty `dir` is refused (an
 * InputError) unless `overwrite` is set, in which case it is swapped out only once the new one is
 * complete, or `keepExisting` is set, in which case it is kept. Resolves to false when an existing
 * directory was kept (nothing was published), else true.
 */
export async function writeDirectoryAtomic(
  dir: string,
  fill: (tmpDir: string) => Promise<void>,
  options: WriteDirectoryOptions = {},
): Promise<boolean> {
  const target = resolve(dir);
  const existing = await listIfExists(target);
  if (existing !== undefined && existing.length > 0 && !options.overwrite) {
    if (options.keepExisting) return false;
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
    try {
      await rename(tmp, target);
      return true;
    } catch (err) {
      await rm(tmp, { recursive: true, force: true });
      const code = (err as NodeJS.ErrnoException).code;
      if (options.keepExisting && (code === 'ENOTEMPTY' || code === 'EEXIST')) return false;
      throw err;
    }
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
  return true;
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
