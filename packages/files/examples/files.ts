/**
 * Writes a JSON array atomically, streams it back with byte offsets, reads a JSON file with a
 * located error, and hashes the file. Run from packages/files:
 *   npx tsx --conditions=@kadapter/source examples/files.ts
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AtomicFile, hashFile, readJsonArray, readJsonFile, writeFileAtomic } from '@kadapter/files';

const dir = await mkdtemp(join(tmpdir(), 'kadapter-files-example-'));
try {
  // 1. A large JSON array written piece by piece: the file appears only on commit().
  const path = join(dir, 'examples.json');
  const out = await AtomicFile.create(path);
  await out.write('[\n');
  for (let i = 0; i < 3; i++) await out.write(`${i ? ',\n' : ''}${JSON.stringify({ id: i, text: `café ${i}` })}`);
  await out.write('\n]\n');
  await out.commit();

  // 2. Streamed back one element at a time, each with its byte offset.
  for await (const { value, index, offset } of readJsonArray(path)) console.log(index, offset, value);

  // 3. A broken JSON file: the error names the file, line and byte offset.
  const broken = join(dir, 'config.json');
  await writeFileAtomic(broken, '{\n  "hidden_size": 64,\n}\n');
  await readJsonFile(broken).catch((err: Error) => console.log(err.message));

  // 4. sha256 and size, streamed.
  console.log(await hashFile(path));
} finally {
  await rm(dir, { recursive: true, force: true });
}
