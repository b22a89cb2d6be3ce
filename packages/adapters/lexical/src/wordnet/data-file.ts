import { FormatError } from '@kadapter/core';
import { readByteLines } from './byte-lines.js';
import { parseSynsetLine, type Synset } from './synset.js';

export interface ReadDataFileOptions {
  /**
   * check that every synset's offset is the byte offset of its line, the address pointers use
   * (default true). A file whose offsets disagree was edited or had its line ends converted.
   */
  checkOffsets?: boolean;
}

/** The license header: lines that start with two spaces (`  1 This software and database ...`). */
export const isHeaderLine = (line: string): boolean => line.startsWith('  ');

/**
 * Streams the synsets of a WordNet `data.noun` / `data.verb` / `data.adj` / `data.adv` file, one
 * line at a time (memory: one read buffer). The license header is skipped. A malformed line, a blank line
 * or an offset that is not the line's byte offset is a FormatError naming the file, line and field.
 */
export async function* readDataFile(file: string, options: ReadDataFileOptions = {}): AsyncGenerator<Synset> {
  const checkOffsets = options.checkOffsets ?? true;
  for await (const { line, number, offset: at } of readByteLines(file)) {
    if (isHeaderLine(line)) continue;
    if (line === '') throw new FormatError('blank line inside the file', { file, line: number });
    const synset = parseSynsetLine(line, { file, line: number });
    if (checkOffsets && synset.offset !== at)
      throw new FormatError(
        `synset offset ${synset.offset} is not the line's byte offset ${at} (edited file, or CRLF line ends?)`,
        { file, line: number, field: 'synset_offset' },
      );
    yield synset;
  }
}
