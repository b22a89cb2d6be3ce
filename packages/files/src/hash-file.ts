import { createHash } from 'node:crypto';
import { openReadStream } from './read-stream.js';

/** sha256 (hex) and size of a file, streamed in 1 MiB reads; a missing file is a NotFoundError. */
export async function hashFile(path: string): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of (await openReadStream(path, { highWaterMark: 1 << 20 })) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    bytes += chunk.length;
  }
  return { sha256: hash.digest('hex'), bytes };
}
