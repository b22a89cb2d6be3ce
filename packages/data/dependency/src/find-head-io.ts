import { DataError } from '@kadapter/core';
import { AtomicFile, readJsonArray } from '@kadapter/files';
import { checkFindHeadExample, type FindHeadExample } from './find-head.js';

/**
 * Writes a `find_head` file: one JSON array, one example per line, under a temp name renamed into
 * place by `commit()` (a failed build leaves no partial file).
 */
export class FindHeadWriter {
  private count = 0;
  private constructor(private readonly file: AtomicFile) {}

  static async create(path: string): Promise<FindHeadWriter> {
    return new FindHeadWriter(await AtomicFile.create(path));
  }

  get written(): number {
    return this.count;
  }

  async write(example: FindHeadExample): Promise<void> {
    await this.file.write(`${this.count === 0 ? '[\n' : ',\n'}${JSON.stringify(example)}`);
    this.count++;
  }

  async commit(): Promise<void> {
    await this.file.write(this.count === 0 ? '[]\n' : '\n]\n');
    await this.file.commit();
  }

  abort(): Promise<void> {
    return this.file.abort();
  }
}

/** Writes `examples` to `path` as a `find_head` JSON array; returns how many were written. */
export async function writeFindHead(
  path: string,
  examples: Iterable<FindHeadExample> | AsyncIterable<FindHeadExample>,
): Promise<number> {
  const writer = await FindHeadWriter.create(path);
  try {
    for await (const example of examples) await writer.write(example);
  } catch (err) {
    await writer.abort();
    throw err;
  }
  await writer.commit();
  return writer.written;
}

export interface ReadFindHeadOptions {
  /** called with each invalid example, which is then skipped; without it the first one throws */
  onInvalid?: (error: DataError) => void;
}

/**
 * Streams a `find_head` JSON array (the official format or one written here), checking each
 * example; errors name the file, the example's byte offset and the field.
 */
export async function* readFindHead(file: string, options: ReadFindHeadOptions = {}): AsyncGenerator<FindHeadExample> {
  for await (const item of readJsonArray(file)) {
    const checked = checkFindHeadExample(item.value);
    if (!('message' in checked)) {
      yield checked;
      continue;
    }
    const error = new DataError(`example ${item.index}: ${checked.message}`, {
      file,
      offset: item.offset,
      field: checked.field || undefined,
    });
    if (!options.onInvalid) throw error;
    options.onInvalid(error);
  }
}
