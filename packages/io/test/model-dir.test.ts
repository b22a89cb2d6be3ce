import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { checkTensorLeaks, tinyFixture, useBackend, useTempDir } from '@kadapter/test-utils';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  loadModelDir,
  openModelDir,
  type RawTensor,
  SafetensorsFile,
  saveSafetensors,
  TorchCheckpoint,
} from '../src/index.js';
import { ioFixture } from './fixtures.js';

const tempDir = useTempDir('kadapter-io-test-');
let root = '';
beforeAll(async () => {
  root = await tempDir();
});

/** The tiny backbone's tensors as stored (the reference for every layout below). */
async function tinyBackbone(): Promise<Map<string, RawTensor>> {
  const f = await SafetensorsFile.open(tinyFixture('model.safetensors'));
  try {
    const out = new Map<string, RawTensor>();
    for (const name of f.names) out.set(name, await f.readRaw(name));
    return out;
  } finally {
    await f.close();
  }
}

function bytesOf(t: RawTensor): Buffer {
  return Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength);
}

/** Makes `dir` with the tiny config.json plus `files` copied from the given sources. */
async function makeDir(dir: string, files: Record<string, string> = {}): Promise<string> {
  const path = join(root, dir);
  await mkdir(path, { recursive: true });
  await copyFile(tinyFixture('config.json'), join(path, 'config.json'));
  for (const [name, src] of Object.entries(files)) await copyFile(src, join(path, name));
  return path;
}

describe('loadModelDir / openModelDir', () => {
  checkTensorLeaks();
  beforeAll(() => useBackend('cpu'));

  it('loads the tiny fixture directory: config, safetensors weights, tokenizer files', async () => {
    const m = await loadModelDir(tinyFixture());
    try {
      expect(m.config.hidden_size).toBe(64);
      expect(m.config.model_type).toBe('roberta');
      expect(m.weightsFile).toBe(tinyFixture('model.safetensors'));
      expect(m.weights.get('roberta.embeddings.word_embeddings.weight')?.shape).toEqual([534, 64]);
      expect(m.weights.size).toBe((await tinyBackbone()).size);
      expect(m.tokenizerFiles).toEqual({
        tokenizerJson: tinyFixture('tokenizer.json'),
        vocabJson: tinyFixture('vocab.json'),
        mergesTxt: tinyFixture('merges.txt'),
        tokenizerConfig: tinyFixture('tokenizer_config.json'),
        specialTokensMap: tinyFixture('special_tokens_map.json'),
      });
      expect(m.revision).toBeUndefined();
    } finally {
      for (const t of m.weights.values()) t.dispose();
    }
  });

  it('reads sharded pytorch_model-*.bin checkpoints through the index (torch-written shards)', async () => {
    const expected = await tinyBackbone();
    const m = await openModelDir(ioFixture('sharded-bin'));
    try {
      expect(m.weightsFile).toBe(ioFixture('sharded-bin', 'pytorch_model.bin.index.json'));
      expect([...m.weights.entries.keys()].sort()).toEqual([...expected.keys()].sort());
      for (const [name, want] of expected) {
        const got = await m.weights.readRaw(name);
        expect(got.shape, name).toEqual(want.shape);
        expect(bytesOf(got).equals(bytesOf(want)), name).toBe(true);
      }
      expect(m.tokenizerFiles).toBeUndefined();
    } finally {
      await m.weights.close();
    }
  });

  it('reads sharded model-*.safetensors checkpoints and prefers safetensors over .bin', async () => {
    const expected = await tinyBackbone();
    const dir = await makeDir('sharded-st', {
      'pytorch_model.bin': ioFixture('sharded-bin', 'pytorch_model-00001-of-00002.bin'),
    });
    const names = [...expected.keys()];
    const shards = [names.slice(0, 10), names.slice(10)];
    const weightMap: Record<string, string> = {};
    for (const [i, shard] of shards.entries()) {
      const file = `model-0000${i + 1}-of-00002.safetensors`;
      await saveSafetensors(join(dir, file), new Map(shard.map((n) => [n, expected.get(n) as RawTensor])));
      for (const n of shard) weightMap[n] = file;
    }
    await writeFile(join(dir, 'model.safetensors.index.json'), JSON.stringify({ metadata: {}, weight_map: weightMap }));
    const m = await openModelDir(dir);
    try {
      expect(m.weightsFile).toBe(join(dir, 'model.safetensors.index.json'));
      expect(m.weights.names).toEqual(names);
      const last = names.at(-1) as string;
      expect(bytesOf(await m.weights.readRaw(last)).equals(bytesOf(expected.get(last) as RawTensor))).toBe(true);
    } finally {
      await m.weights.close();
    }
  });

  it('opens a directory with only pytorch_model.bin (an official adapter checkpoint) lazily', async () => {
    const dir = await makeDir('bin-only', { 'pytorch_model.bin': tinyFixture('fac-adapter/pytorch_model.legacy.bin') });
    const m = await openModelDir(dir);
    try {
      expect(m.weights).toBeInstanceOf(TorchCheckpoint);
      // shapes are known before any tensor is read
      expect(m.weights.entries.get('adapter.0.down_project.weight')).toMatchObject({ dtype: 'F32', shape: [32, 64] });
      const t = await m.weights.readTensor('adapter.0.down_project.bias');
      expect(t.shape).toEqual([32]);
      t.dispose();
    } finally {
      await m.weights.close();
    }
  });

  it('takes the repo id and commit from a Hugging Face cache snapshot path', async () => {
    const commit = 'a'.repeat(40);
    const dir = await makeDir(join('models--org--tiny', 'snapshots', commit), {
      'model.safetensors': tinyFixture('heads/multiple_choice.safetensors'),
    });
    const m = await openModelDir(dir);
    await m.weights.close();
    expect(m.revision).toBe(commit);
    expect(m.hubId).toBe('org/tiny');
  });
});

describe('model directory errors', () => {
  it('a missing config.json is a NotFoundError naming the directory', async () => {
    const dir = join(root, 'no-config');
    await mkdir(dir, { recursive: true });
    await expect(openModelDir(dir)).rejects.toMatchObject({
      code: 'E_NOT_FOUND',
      message: expect.stringContaining(`${dir}: model directory has no config.json`),
    });
  });

  it('a config.json that is not JSON is a FormatError naming it and the line', async () => {
    const dir = join(root, 'bad-config');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'config.json'), '{\n  "hidden_size": 64,\n  "x": ,\n}\n');
    await expect(openModelDir(dir)).rejects.toMatchObject({
      code: 'E_FORMAT',
      // the line is added when the runtime reports a position (Node >= 22); Node 20 quotes the text around the fault
      message: expect.stringMatching(/bad-config\/config\.json(:3)?: invalid JSON \(Unexpected token/),
    });
  });

  it('no weights file is a NotFoundError listing what was looked for', async () => {
    const dir = await makeDir('no-weights');
    await expect(openModelDir(dir)).rejects.toMatchObject({
      code: 'E_NOT_FOUND',
      message: expect.stringContaining(
        'no weights (looked for model.safetensors, model.safetensors.index.json, pytorch_model.bin, pytorch_model.bin.index.json)',
      ),
    });
  });

  it('an index naming a missing shard is a NotFoundError naming the index, tensor and shard', async () => {
    const dir = await makeDir('missing-shard', {
      'pytorch_model-00001-of-00002.bin': ioFixture('sharded-bin', 'pytorch_model-00001-of-00002.bin'),
      'pytorch_model.bin.index.json': ioFixture('sharded-bin', 'pytorch_model.bin.index.json'),
    });
    await expect(openModelDir(dir)).rejects.toMatchObject({
      code: 'E_NOT_FOUND',
      message: expect.stringMatching(
        /pytorch_model\.bin\.index\.json, tensor '[^']+', field 'weight_map': shard 'pytorch_model-00002-of-00002\.bin' named by the index does not exist/,
      ),
    });
  });

  it('an index whose shard path leaves the directory is a PathError', async () => {
    const dir = await makeDir('escaping-index');
    await writeFile(
      join(dir, 'model.safetensors.index.json'),
      JSON.stringify({ weight_map: { w: '../../etc/passwd' } }),
    );
    await expect(openModelDir(dir)).rejects.toMatchObject({
      code: 'E_PATH',
      message: expect.stringContaining("'../../etc/passwd' would resolve outside"),
    });
  });

  it('an index that puts a tensor in the wrong shard is a FormatError naming both', async () => {
    const dir = await makeDir('lying-index', {
      'a.safetensors': tinyFixture('heads/multiple_choice.safetensors'),
    });
    await writeFile(
      join(dir, 'model.safetensors.index.json'),
      JSON.stringify({ weight_map: { 'classifier.bias': 'a.safetensors', 'dense.weight': 'a.safetensors' } }),
    );
    await expect(openModelDir(dir)).rejects.toMatchObject({
      code: 'E_FORMAT',
      message: expect.stringMatching(/tensor 'dense\.weight': the index puts 'dense\.weight' in 'a\.safetensors'/),
    });
  });
});
