import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tinyFixture, useTempDir } from '@kadapter/test-utils';
import { beforeAll, describe, expect, it } from 'vitest';
import { SafetensorsFile } from '../src/index.js';

const tempDir = useTempDir('kadapter-io-test-');
let root = '';
beforeAll(async () => {
  root = await tempDir();
});

/** Writes a safetensors file by hand: 8-byte length, the header text as given, then `dataBytes` zero bytes. */
async function handMade(name: string, header: unknown, dataBytes: number, headerLength?: number): Promise<string> {
  const text = Buffer.from(typeof header === 'string' ? header : JSON.stringify(header));
  const prefix = Buffer.alloc(8);
  prefix.writeBigUInt64LE(BigInt(headerLength ?? text.byteLength));
  const path = join(root, name);
  await writeFile(path, Buffer.concat([prefix, text, Buffer.alloc(dataBytes)]));
  return path;
}

const f32 = (shape: number[], begin: number, end: number) => ({ dtype: 'F32', shape, data_offsets: [begin, end] });

async function expectOpenError(path: string, code: string, message: RegExp): Promise<void> {
  await expect(SafetensorsFile.open(path)).rejects.toMatchObject({ code, message: expect.stringMatching(message) });
}

describe('SafetensorsFile refuses bad files with typed errors naming the file and the fault', () => {
  it('a file truncated inside the data', async () => {
    const bytes = await readFile(tinyFixture('heads/multiple_choice.safetensors'));
    const path = join(root, 'cut-data.safetensors');
    await writeFile(path, bytes.subarray(0, bytes.byteLength - 10));
    await expectOpenError(
      path,
      'E_FORMAT',
      /cut-data\.safetensors, tensor 'classifier\.weight': data_offsets end 260 is past the end of the data \(250 bytes\): truncated/,
    );
  });

  it('a file truncated inside the header, or shorter than 8 bytes', async () => {
    const bytes = await readFile(tinyFixture('heads/multiple_choice.safetensors'));
    const path = join(root, 'cut-header.safetensors');
    await writeFile(path, bytes.subarray(0, 50));
    await expectOpenError(path, 'E_FORMAT', /cut-header\.safetensors @byte 0: header length 176 exceeds the file/);
    await writeFile(path, bytes.subarray(0, 5));
    await expectOpenError(path, 'E_FORMAT', /cut-header\.safetensors: file is 5 bytes, too short/);
  });

  it('overlapping tensors', async () => {
    const path = await handMade('overlap.safetensors', { a: f32([2], 0, 8), b: f32([2], 4, 12) }, 12);
    await expectOpenError(path, 'E_FORMAT', /overlap\.safetensors, tensor 'b': data_offsets \[4, 12\] overlaps/);
  });

  it('a hole between tensors', async () => {
    const path = await handMade('hole.safetensors', { a: f32([2], 0, 8), b: f32([2], 12, 20) }, 20);
    await expectOpenError(path, 'E_FORMAT', /hole\.safetensors, tensor 'b': .* leaves a hole of 4 bytes/);
  });

  it('offsets past the end of the data', async () => {
    const path = await handMade('past-end.safetensors', { a: f32([4], 0, 16) }, 8);
    await expectOpenError(path, 'E_FORMAT', /past-end\.safetensors, tensor 'a': data_offsets end 16 is past the end/);
  });

  it('a byte range that does not match shape x dtype', async () => {
    const path = await handMade('size.safetensors', { a: f32([2, 3], 0, 20) }, 20);
    await expectOpenError(
      path,
      'E_FORMAT',
      /size\.safetensors, tensor 'a': data_offsets \[0, 20\] span 20 bytes but F32\[2,3\] needs 24/,
    );
  });

  it('trailing bytes no tensor covers', async () => {
    const path = await handMade('trailing.safetensors', { a: f32([2], 0, 8) }, 12);
    await expectOpenError(path, 'E_FORMAT', /trailing\.safetensors: tensors cover 8 bytes but the data section has 12/);
  });

  it('an unknown dtype', async () => {
    const path = await handMade('dtype.safetensors', { a: { dtype: 'F8_E4M3', shape: [2], data_offsets: [0, 2] } }, 2);
    await expectOpenError(path, 'E_DTYPE', /dtype\.safetensors, tensor 'a': unknown dtype "F8_E4M3"; supported: F64/);
  });

  it('a bad shape and malformed offsets', async () => {
    const shape = await handMade('shape.safetensors', { a: { dtype: 'F32', shape: [2, -1], data_offsets: [0, 8] } }, 8);
    await expectOpenError(shape, 'E_SHAPE', /shape\.safetensors, tensor 'a': shape \[2,-1\] is not a list/);
    const offsets = await handMade('offsets.safetensors', { a: { dtype: 'F32', shape: [2], data_offsets: [8, 0] } }, 8);
    await expectOpenError(
      offsets,
      'E_FORMAT',
      /offsets\.safetensors, tensor 'a': data_offsets \[8,0\] is not \[begin, end\]/,
    );
  });

  it('a header that is not JSON, not an object, or has non-string metadata', async () => {
    const notJson = await handMade('not-json.safetensors', '{"a": ', 0);
    await expectOpenError(notJson, 'E_FORMAT', /not-json\.safetensors @byte 8: header is not valid JSON/);
    const notObject = await handMade('array.safetensors', '[1, 2]', 0);
    await expectOpenError(notObject, 'E_FORMAT', /array\.safetensors @byte 8: header does not start with '\{'/);
    const meta = await handMade('meta.safetensors', { __metadata__: { n: 1 } }, 0);
    await expectOpenError(meta, 'E_FORMAT', /meta\.safetensors, field '__metadata__': __metadata__\.n is not a string/);
  });

  it('a missing file is a NotFoundError', async () => {
    await expectOpenError(
      join(root, 'nothing-here.safetensors'),
      'E_NOT_FOUND',
      /nothing-here\.safetensors: no such file/,
    );
  });
});
