import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { InputError, NotFoundError } from '@kadapter/core';

/**
 * Expands files and directories (their regular files, not recursive, hidden names skipped; only
 * names ending in one of `extensions` when given) into absolute paths, deduplicated and sorted by
 * code unit. This sorted order is the build order: it fixes the order of examples and of derived
 * labels (the official script used `os.listdir` order).
 */
export async function listInputFiles(
  inputs: readonly string[],
  options: { extensions?: readonly string[] } = {},
): Promise<string[]> {
  const wanted = (name: string) => !options.extensions || options.extensions.some((e) => name.endsWith(e));
  if (inputs.length === 0) throw new InputError('no input files given', { field: 'input' });
  const files = new Set<string>();
  for (const input of inputs) {
    const path = resolve(input);
    let info: Awaited<ReturnType<typeof stat>>;
    try {
      info = await stat(path);
    } catch (err) {
      throw new NotFoundError('input not found', { file: input, cause: err });
    }
    if (!info.isDirectory()) {
      files.add(path);
      continue;
    }
    for (const entry of await readdir(path, { withFileTypes: true })) {
      if (entry.isFile() && !entry.name.startsWith('.') && wanted(entry.name)) files.add(join(path, entry.name));
    }
  }
  if (files.size === 0) throw new InputError('the input directories hold no files', { field: 'input' });
  return [...files].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
