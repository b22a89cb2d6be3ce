import { existsSync } from 'node:fs';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigError } from '@kadapter/core';

const MARKER = '.kadapter-demo';

/**
 * Prepares the demo's output directory: created when missing, emptied when it holds an earlier
 * demo run (it carries a marker file), refused when it holds anything else.
 */
export async function prepareRunDir(dir: string): Promise<void> {
  if (existsSync(dir)) {
    const entries = await readdir(dir);
    if (entries.length > 0 && !entries.includes(MARKER)) {
      throw new ConfigError(`output directory is not empty and was not made by 'kadapter demo'; choose another --out`, {
        file: dir,
      });
    }
    for (const e of entries) await rm(join(dir, e), { recursive: true, force: true });
  }
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, MARKER), 'written by kadapter demo; the whole directory is replaced on the next run\n');
}
