import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { NotFoundError } from '@kadapter/core';

/** sha256 (hex) and size of a file, streamed. */
export async function hashFile(path: string): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  try {
    for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
      hash.update(chunk);
      bytes += chunk.length;
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new NotFoundError('file not found', { file: path });
    throw err;
  }
  return { sha256: hash.digest('hex'), bytes };
}
