import { type FileHandle, open } from 'node:fs/promises';
import { NotFoundError } from '@kadapter/core';

/** Opens a file for reading; a missing file is a NotFoundError naming it. */
export async function openReadOnly(path: string): Promise<FileHandle> {
  try {
    return await open(path, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new NotFoundError('no such file', { file: path, cause: err });
    }
    throw err;
  }
}

/** The first `n` bytes of a file (fewer if it is shorter). */
export async function readHead(path: string, n: number): Promise<Uint8Array> {
  const handle = await openReadOnly(path);
  try {
    const buf = new Uint8Array(n);
    const { bytesRead } = await handle.read(buf, 0, n, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}
