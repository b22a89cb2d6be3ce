import type { ReadStream } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { readError } from './read-error.js';

export interface ReadStreamOptions {
  /** read size in bytes (default 64 KiB) */
  highWaterMark?: number;
  /** decode chunks as text (default: Buffer chunks) */
  encoding?: BufferEncoding;
}

/**
 * Opens `file` for streaming. The file is opened before this resolves, so a missing or unreadable
 * file is a NotFoundError naming it here rather than an untyped error in the middle of a read.
 * The stream closes the file when it ends or is destroyed.
 */
export async function openReadStream(file: string, options: ReadStreamOptions = {}): Promise<ReadStream> {
  let handle: FileHandle;
  try {
    handle = await open(file, 'r');
  } catch (err) {
    throw readError(err, file);
  }
  return handle.createReadStream({
    highWaterMark: options.highWaterMark ?? 1 << 16,
    ...(options.encoding ? { encoding: options.encoding } : {}),
  });
}
