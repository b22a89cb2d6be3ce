import { existsSync } from 'node:fs';
import { copyFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describeBackends, tinyFixture, useTempDir } from '@kadapter/test-utils';
import type * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadTorchCheckpoint, loadWeights, type RawTensor, SafetensorsFile, TorchCheckpoint } from '../src/index.js';
import { stateDictTensors, unpickleTorch } from '../src/torch-pickle.js';
import { ioFixture } from './fixtures.js';

const tempDir = useTempDir('kadapter-io-test-');
let root = '';
beforeAll(async () => {
  root = await tempDir();
});

function floatBytes(t: tf.Tensor): Buffer {
  const a = t.dataSync() as Float32Array;
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
}

function bytesOf(t: RawTensor): Buffer {
  return Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength);
}

/** Every tensor of `checkpoint` equals the one of `reference` (a safetensors file): names, dtype, shape, bytes. */
async function expectSameTensors(checkpoint: string, reference: string): Promise<number> {
  const expected = await SafetensorsFile.open(reference);
  try {
    const actual = await loadTorchCheckpoint(checkpoint);
    expect([...actual.keys()].sort()).toEqual(expected.names.sort());
    for (const name of expected.names) {
      const want = await expected.readRaw(name);
      const got = actual.get(name) as RawTensor;
      expect(got.dtype, name).toBe(want.dtype);
      expect(got.shape, name).toEqual(want.shape);
      expect(got.data.constructor, name).toBe(want.data.constructor);
      expect(bytesOf(got).equals(bytesOf(want)), `${name}: bytes differ`).toBe(true);
    }
    return expected.names.length;
  } finally {
    await expected.close();
  }
}

describe('loadTorchCheckpoint parity with the official checkpoints (tiny fixture)', () => {
  const cases: [string, string, number][] = [
    ['fac-adapter', 'pytorch_model.bin', 114], // zip (torch >= 1.6)
    ['fac-adapter', 'pytorch_model.legacy.bin', 114], // legacy pickle (torch < 1.6), like the released checkpoints
    ['lin-adapter', 'pytorch_model.bin', 124],
  ];
  for (const [dir, file, count] of cases) {
    it(`${dir}/${file} is bit-identical to ${dir}/model.safetensors`, async () => {
      expect(await expectSameTensors(tinyFixture(dir, file), tinyFixture(dir, 'model.safetensors'))).toBe(count);
    });
  }

  it('detects the format and keeps the state dict order', async () => {
    const zip = await TorchCheckpoint.open(tinyFixture('fac-adapter/pytorch_model.bin'));
    const legacy = await TorchCheckpoint.open(tinyFixture('fac-adapter/pytorch_model.legacy.bin'));
    try {
      expect(zip.format).toBe('zip');
      expect(legacy.format).toBe('legacy');
      expect(zip.names[0]).toBe('adapter.0.down_project.weight');
      expect(legacy.names).toEqual(zip.names);
      expect(zip.entries.get('adapter.0.down_project.weight')).toMatchObject({ dtype: 'F32', shape: [32, 64] });
      expect(zip.ignored).toEqual([]);
    } finally {
      await zip.close();
      await legacy.close();
    }
  });
});

describe('loadTorchCheckpoint on generated checkpoints (make_fixtures.py, torch 1.13)', () => {
  for (const format of ['', '.legacy']) {
    it(`reads every dtype${format} (F64/F32/F16/BF16/I64/I32/I16/I8/U8/BOOL, 0-d, empty)`, async () => {
      expect(
        await expectSameTensors(ioFixture(`every-dtype${format}.bin`), ioFixture('every-dtype.expected.safetensors')),
      ).toBe(12);
      const i64 = (await loadTorchCheckpoint(ioFixture(`every-dtype${format}.bin`))).get('i64') as RawTensor;
      expect([...(i64.data as BigInt64Array)]).toEqual([-(2n ** 63n), 2n ** 53n + 1n, -1n, 0n, 2n ** 62n]);
    });

    it(`materialises non-contiguous views${format} (transpose, step, offset, broadcast, shared storage)`, async () => {
      const c = await TorchCheckpoint.open(ioFixture(`views${format}.bin`));
      try {
        // the checkpoint really stores views: strides are not row-major and storages are shared
        expect(c.entries.get('transposed')?.ref.stride).toEqual([1, 6]);
        expect(c.entries.get('broadcast')?.ref.stride).toEqual([0, 1]);
        expect(c.entries.get('block_t')?.ref.offset).toBe(8);
        expect(c.entries.get('tied')?.ref.storage.root).toBe(c.entries.get('base')?.ref.storage.root);
      } finally {
        await c.close();
      }
      expect(await expectSameTensors(ioFixture(`views${format}.bin`), ioFixture('views.expected.safetensors'))).toBe(
        10,
      );
    });
  }

  it('reads a zip whose entries are deflate-compressed (inflated through yauzl)', async () => {
    expect(
      await expectSameTensors(ioFixture('every-dtype.deflated.bin'), ioFixture('every-dtype.expected.safetensors')),
    ).toBe(12);
  });

  it('reads protocol 4 pickles (FRAME, STACK_GLOBAL, MEMOIZE) and nn.Parameter values', async () => {
    expect(
      await expectSameTensors(ioFixture('parameters.p4.bin'), ioFixture('parameters.p4.expected.safetensors')),
    ).toBe(2);
  });
});

describe('refusing unsafe or broken checkpoints', () => {
  it('refuses os.system (zip and legacy) naming the global and the file; nothing runs', async () => {
    for (const name of ['malicious-os-system.bin', 'malicious-os-system.legacy.bin']) {
      const path = ioFixture(name);
      await expect(TorchCheckpoint.open(path), name).rejects.toMatchObject({
        name: 'UnsafePickleError',
        code: 'E_UNSAFE_PICKLE',
        message: expect.stringMatching(new RegExp(`${name.replace(/\./g, '\\.')}.*forbidden global 'posix\\.system'`)),
      });
    }
    expect(existsSync('/tmp/kadapter-pwned')).toBe(false);
  });

  it('refuses builtins.eval reached through STACK_GLOBAL (protocol 4)', async () => {
    await expect(loadTorchCheckpoint(ioFixture('malicious-eval.p4.bin'))).rejects.toMatchObject({
      code: 'E_UNSAFE_PICKLE',
      message: expect.stringContaining("forbidden global 'builtins.eval'"),
    });
  });

  it('refuses a state dict that contains itself (a pickle can build cycles)', () => {
    // {} memoised as 0, then d['a'] = d: EMPTY_DICT BINPUT 0 BINUNICODE 'a' BINGET 0 SETITEM STOP
    const p = Uint8Array.from([0x80, 2, 0x7d, 0x71, 0, 0x58, 1, 0, 0, 0, 0x61, 0x68, 0, 0x73, 0x2e]);
    const { value } = unpickleTorch(p, 0, { file: 'cycle.pkl', baseOffset: 0, format: 'zip' });
    expect(() => stateDictTensors(value, 'cycle.pkl')).toThrow(/cycle\.pkl: state dict nesting at 'a\.' is cyclic/);
  });

  it('refuses an unsupported storage type, naming the tensor', async () => {
    await expect(TorchCheckpoint.open(ioFixture('complex.bin'))).rejects.toMatchObject({
      code: 'E_DTYPE',
      message: expect.stringMatching(/complex\.bin, tensor 'c': storage type torch\.ComplexFloatStorage/),
    });
  });

  it('refuses a view that reaches past its storage, naming the tensor', async () => {
    await expect(TorchCheckpoint.open(ioFixture('bad-view.bin'))).rejects.toMatchObject({
      code: 'E_FORMAT',
      message: expect.stringMatching(/bad-view\.bin, tensor 'x': view .*size \[9\].* storage of 4/),
    });
  });

  it('reports a truncated zip as a FormatError naming the file', async () => {
    const bytes = await readFile(tinyFixture('fac-adapter/pytorch_model.bin'));
    const path = join(root, 'truncated.bin');
    await writeFile(path, bytes.subarray(0, bytes.byteLength / 2));
    await expect(TorchCheckpoint.open(path)).rejects.toMatchObject({
      code: 'E_FORMAT',
      message: expect.stringMatching(/truncated\.bin.*not a readable zip archive/),
    });
  });

  it('reports corrupt storage bytes in a zip (CRC-32 mismatch) naming the tensor and the entry', async () => {
    const path = join(root, 'corrupt.bin');
    await copyFile(tinyFixture('fac-adapter/pytorch_model.bin'), path);
    const c0 = await TorchCheckpoint.open(path);
    const name = 'adapter.0.down_project.weight';
    await c0.close();
    // flip one byte inside the first storage entry's data (its bytes are the first 8192 of data/0)
    const bytes = await readFile(path);
    const at = bytes.indexOf(Buffer.from('pytorch_model/data/0')) + 'pytorch_model/data/0'.length + 100;
    bytes[at] = (bytes[at] as number) ^ 0xff;
    await writeFile(path, bytes);
    const c = await TorchCheckpoint.open(path);
    try {
      await expect(c.readRaw(name)).rejects.toMatchObject({
        code: 'E_FORMAT',
        message: expect.stringMatching(
          /corrupt\.bin, tensor 'adapter\.0\.down_project\.weight', field 'pytorch_model\/data\/0': CRC-32 mismatch/,
        ),
      });
    } finally {
      await c.close();
    }
  });

  it('reports a legacy file cut inside the storages, naming the storage', async () => {
    const bytes = await readFile(tinyFixture('fac-adapter/pytorch_model.legacy.bin'));
    const path = join(root, 'truncated.legacy.bin');
    await writeFile(path, bytes.subarray(0, bytes.byteLength - 100));
    await expect(TorchCheckpoint.open(path)).rejects.toMatchObject({
      code: 'E_FORMAT',
      message: expect.stringMatching(/truncated\.legacy\.bin @byte \d+: storage '\d+' runs past the end of the file/),
    });
  });

  it('reports a legacy file cut inside the data pickle', async () => {
    const bytes = await readFile(tinyFixture('fac-adapter/pytorch_model.legacy.bin'));
    const path = join(root, 'cut-pickle.legacy.bin');
    await writeFile(path, bytes.subarray(0, 5000));
    await expect(TorchCheckpoint.open(path)).rejects.toMatchObject({
      code: 'E_FORMAT',
      message: expect.stringMatching(/cut-pickle\.legacy\.bin @byte \d+: pickle ends inside an opcode/),
    });
  });

  it('refuses a file that is not a checkpoint', async () => {
    const path = join(root, 'not-a-checkpoint.bin');
    await writeFile(path, 'hello world');
    await expect(TorchCheckpoint.open(path)).rejects.toMatchObject({
      code: 'E_FORMAT',
      message: expect.stringContaining('not-a-checkpoint.bin @byte 0: does not start with a pickle'),
    });
    await expect(loadWeights(path)).rejects.toMatchObject({ code: 'E_FORMAT' });
    await expect(loadWeights(join(root, 'missing.bin'))).rejects.toMatchObject({
      code: 'E_NOT_FOUND',
      message: expect.stringContaining('missing.bin'),
    });
  });
});

describeBackends('loadWeights (any format, as tfjs tensors)', () => {
  it('gives the same float32 tensors from the zip, the legacy file and safetensors', async () => {
    const fromSt = await loadWeights(tinyFixture('fac-adapter/model.safetensors'));
    const fromZip = await loadWeights(tinyFixture('fac-adapter/pytorch_model.bin'));
    const fromLegacy = await loadWeights(tinyFixture('fac-adapter/pytorch_model.legacy.bin'));
    try {
      expect(fromZip.size).toBe(114);
      for (const [name, t] of fromSt) {
        for (const other of [fromZip, fromLegacy]) {
          const o = other.get(name);
          if (!o) throw new Error(`${name} missing`);
          expect(o.dtype, name).toBe('float32');
          expect(o.shape, name).toEqual(t.shape);
          expect(floatBytes(o).equals(floatBytes(t)), name).toBe(true);
        }
      }
    } finally {
      for (const m of [fromSt, fromZip, fromLegacy]) for (const t of m.values()) t.dispose();
    }
  });
});
