import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { OFFICIAL_TREX_RELATIONS } from '@kadapter/data-trex';
import { expectError, tinyFixture, useTempDir } from '@kadapter/test-utils';
import { loadTokenizer } from '@kadapter/tokenizer';
import { beforeAll, describe, expect, it } from 'vitest';
import { encodeFile, readFeatures, writeFeatures } from '../src/index.js';

const tempDir = useTempDir('kadapter-encode-file-');
let dir = '';
beforeAll(async () => {
  dir = await tempDir();
});

describe('features file', () => {
  it('round-trips int32 tensors, example_index and the metadata', async () => {
    const tok = await loadTokenizer(tinyFixture());
    const enc = await encodeFile({
      task: 'trex',
      input: tinyFixture('examples/trex.json'),
      tokenizer: tok,
      maxLen: 32,
    });
    const out = join(dir, 'trex.safetensors');
    await writeFeatures(out, enc, { source: tok.source, fingerprint: tok.fingerprint });
    expect(readdirSync(dir)).toEqual(['trex.safetensors']);
    const back = await readFeatures(out);
    expect([...back.tensors.keys()].sort()).toEqual([
      'attention_mask',
      'input_ids',
      'labels',
      'obj_marker',
      'subj_marker',
    ]);
    for (const [name, t] of enc.tensors) {
      expect(back.tensors.get(name)!.shape).toEqual(t.shape);
      expect(Array.from(back.tensors.get(name)!.data)).toEqual(Array.from(t.data));
    }
    expect(Array.from(back.exampleIndex)).toEqual([0, 1, 2, 3, 5]);
    // nothing local and absolute: the input (in another top-level folder than the output) by name,
    // the tokenizer by name + sha256
    expect(back.metadata).toEqual({
      task: 'trex',
      maxLen: 32,
      input: 'trex.json',
      read: 6,
      kept: 5,
      skipped: { marker_beyond_max_len: 1 },
      notes: {},
      options: {},
      labels: [...OFFICIAL_TREX_RELATIONS],
      tokenizer: 'tokenizer.json',
      tokenizerSha256: tok.fingerprint,
    });
  });

  it('records the input relative to the features file when they share a folder', async () => {
    const tok = await loadTokenizer(tinyFixture());
    mkdirSync(join(dir, 'in'));
    const input = join(dir, 'in', 'trex.json');
    copyFileSync(tinyFixture('examples/trex.json'), input);
    const enc = await encodeFile({ task: 'trex', input, tokenizer: tok, maxLen: 32 });
    const out = join(dir, 'out', 'features.safetensors');
    mkdirSync(join(dir, 'out'));
    await writeFeatures(out, enc);
    expect((await readFeatures(out)).metadata.input).toBe('../in/trex.json');
  });

  it('a file that is not a features file is a FormatError', async () => {
    await expectError(
      readFeatures(tinyFixture('model.safetensors')),
      'E_FORMAT',
      'model.safetensors',
      'kadapter-features',
    );
  });
});
