import type { FileHandle } from 'node:fs/promises';
import { mkdir, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { finishTemp, openTemp } from './atomic-write.js';

const FLUSH_BYTES = 1 << 20;

/**
 * A file written piece by piece under a temp name and renamed into place by `commit()`, so readers
 * see either no file (or the old one) or the complete new one. Writes are buffered (1 MiB).
 * `abort()` removes the temp file. `create` makes the parent directory when it is missing.
 */
export class AtomicFile {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private done = false;

  private constructor(
    readonly path: string,
    private readonly tmp: string,
    private readonly handle: FileHandle,
  ) {}

  static async create(path: string): Promise<AtomicFile> {
    await mkdir(dirname(path), { recursive: true });
    const { tmp, handle } = await openTemp(path);
    return new AtomicFile(path, tmp, handle);
  }

  /** Appends text (UTF-8) or bytes. */
  async write(data: string | Uint8Array): Promise<void> {
    const bytes =
      typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    this.pending.push(bytes);
    this.pendingBytes += bytes.length;
    if (this.pendingBytes >= FLUSH_BYTES) await this.flush();
  }

  private async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const bytes = Buffer.concat(this.pending, this.pendingBytes);
    this.pending = [];
    this.pendingBytes = 0;
    await this.handle.writeFile(bytes);
  }

  /** Writes what is buffered, syncs, and renames the file into place (once; later calls do nothing). */
  async commit(): Promise<void> {
    if (this.done) return;
    this.done = true;
    await finishTemp(this.handle, this.tmp, this.path, () => this.flush());
  }

  /** Drops the temp file (once; nothing happens after `commit`). */
  async abort(): Promise<void> {
    if (this.done) return;
    this.done = true;
    await this.handle.close().catch(() => {});
    await rm(this.tmp, { force: true });
  }
}
