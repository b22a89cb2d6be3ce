import { isAbsolute, relative, resolve, sep } from 'node:path';
import { type ErrorLocation, PathError } from '@kadapter/core';

/**
 * Resolves `rel` (a relative path with '/' separators, as in a repository or an index file)
 * inside `root`, refusing anything that could land outside it: absolute paths, drive letters,
 * backslashes, empty, '.' or '..' segments, NUL bytes. Throws PathError naming the path.
 */
export function resolveInside(root: string, rel: string, where: ErrorLocation = {}): string {
  const bad =
    rel === '' ||
    rel.includes('\0') ||
    rel.includes('\\') ||
    isAbsolute(rel) ||
    /^[A-Za-z]:/.test(rel) ||
    rel.split('/').some((seg) => seg === '' || seg === '.' || seg === '..');
  const base = resolve(root);
  const full = resolve(base, rel);
  const back = relative(base, full);
  if (bad || back === '' || back.startsWith(`..${sep}`) || back === '..' || isAbsolute(back)) {
    throw new PathError(`'${rel}' would resolve outside ${base}`, where);
  }
  return full;
}
