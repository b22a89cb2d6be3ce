import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isKAdapterError, type KAdapterError } from '@kadapter/core';
import { useTempDir } from '@kadapter/test-utils';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { processTrexFile, readTrexRc } from '../src/index.js';
import { CLEAN_FIXTURE, SAMPLE } from './helpers.js';

const tempDir = useTempDir('kadapter-trex-test-');

/** A byte-level change of a valid file: cut it, overwrite a run of bytes, or insert bytes. */
const corruption = (size: number) =>
  fc.oneof(
    fc.record({ kind: fc.constant('truncate' as const), at: fc.integer({ min: 0, max: size - 1 }) }),
    fc.record({
      kind: fc.constant('overwrite' as const),
      at: fc.integer({ min: 0, max: size - 1 }),
      bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }),
    }),
    fc.record({
      kind: fc.constant('insert' as const),
      at: fc.integer({ min: 0, max: size - 1 }),
      bytes: fc.constantFrom(
        ...['{', '}', '[', ']', ',', '"', 'null', '-1', '1e999', '\\u', ':'].map((s) => Buffer.from(s)),
      ),
    }),
  );

function corrupt(valid: Buffer, c: { kind: string; at: number; bytes?: Uint8Array }): Buffer {
  if (c.kind === 'truncate') return valid.subarray(0, c.at);
  const bytes = Buffer.from(c.bytes ?? []);
  if (c.kind === 'insert') return Buffer.concat([valid.subarray(0, c.at), bytes, valid.subarray(c.at)]);
  const out = Buffer.from(valid);
  bytes.copy(out, c.at);
  return out;
}

describe('fuzz: broken inputs give typed errors only', () => {
  let sample: Buffer;
  let compact: Buffer;
  beforeAll(async () => {
    sample = await readFile(SAMPLE);
    compact = Buffer.from(JSON.stringify(JSON.parse(sample.toString('utf8'))));
  });

  it('processTrexFile on corrupted T-REx files: non-strict completes, strict throws only KAdapterErrors', async () => {
    const dir = await tempDir();
    const file = join(dir, 'in.json');
    let strictFailures = 0;
    await fc.assert(
      fc.asyncProperty(fc.boolean(), corruption(compact.length), async (pretty, c) => {
        const bytes = corrupt(pretty ? sample : compact, {
          ...c,
          at: Math.min(c.at, (pretty ? sample : compact).length - 1),
        });
        await writeFile(file, bytes);
        const workDir = join(dir, 'w');
        // non-strict never throws on bad content: it reports and skips
        const { result } = await processTrexFile(file, { workDir });
        expect(result.triples).toBeLessThanOrEqual(112);
        expect(result.examples).toBeLessThanOrEqual(result.triples);
        const strict = await processTrexFile(file, { workDir: join(dir, 's'), strict: true }).catch((e: unknown) => e);
        if (strict instanceof Error) {
          strictFailures++;
          expect(isKAdapterError(strict), String(strict)).toBe(true);
          expect((strict as KAdapterError).location.file).toBe(file);
          expect((await readdir(join(dir, 's'))).filter((n) => n.startsWith('.tmp-'))).toEqual([]);
        }
      }),
      { numRuns: 80 },
    );
    expect(strictFailures).toBeGreaterThan(0);
  });

  it('readTrexRc on corrupted JSON and JSONL: only KAdapterErrors', async () => {
    const dir = await tempDir();
    const valid = await readFile(CLEAN_FIXTURE('cleaned.json'));
    const jsonl = Buffer.from(
      (JSON.parse(valid.toString('utf8')) as unknown[])
        .slice(0, 20)
        .map((e) => JSON.stringify(e))
        .join('\n'),
    );
    await fc.assert(
      fc.asyncProperty(fc.boolean(), corruption(jsonl.length), async (asJsonl, c) => {
        const base = asJsonl ? jsonl : valid;
        const file = join(dir, asJsonl ? 'x.jsonl' : 'x.json');
        await writeFile(file, corrupt(base, { ...c, at: Math.min(c.at, base.length - 1) }));
        try {
          for await (const _ of readTrexRc(file)) {
            // drain
          }
        } catch (err) {
          expect(isKAdapterError(err), String(err)).toBe(true);
        }
      }),
      { numRuns: 150 },
    );
  });
});
