import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { checkTensorLeaks, describeBackends, tinyFixture, useBackend, useTempDir } from '@kadapter/test-utils';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSafetensors, type RawTensor, SafetensorsFile, saveSafetensors } from '../src/index.js';

const tempDir = useTempDir('kadapter-io-test-');
let root = '';
beforeAll(async () => {
  root = await tempDir();
});

/** Reads the header of a safetensors file without the library: length, raw JSON text, parsed object. */
async function rawHeader(path: string): Promise<{ length: number; text: string; json: Record<string, unknown> }> {
  const bytes = await readFile(path);
  const length = Number(bytes.readBigUInt64LE(0));
  const text = bytes.subarray(8, 8 + length).toString('utf8');
  return { length, text, json: JSON.parse(text) };
}

const EVERY_DTYPE: Record<string, RawTensor> = {
  f64: { dtype: 'F64', shape: [2, 2], data: new Float64Array([1.5, -1e300, Number.NaN, 5e-324]) },
  f32: { dtype: 'F32', shape: [3], data: new Float32Array([0.1, Number.NEGATIVE_INFINITY, -0]) },
  f16: { dtype: 'F16', shape: [2], data: new Uint16Array([0x3c00, 0x7bff]) },
  bf16: { dtype: 'BF16', shape: [1, 2], data: new Uint16Array([0x3f80, 0xff80]) },
  i64: { dtype: 'I64', shape: [3], data: new BigInt64Array([-(2n ** 63n), 2n ** 53n + 1n, 7n]) },
  i32: { dtype: 'I32', shape: [2], data: new Int32Array([-2147483648, 2147483647]) },
  i16: { dtype: 'I16', shape: [2], data: new Int16Array([-32768, 32767]) },
  i8: { dtype: 'I8', shape: [2], data: new Int8Array([-128, 127]) },
  u8: { dtype: 'U8', shape: [2], data: new Uint8Array([0, 255]) },
  bool: { dtype: 'BOOL', shape: [3], data: new Uint8Array([1, 0, 1]) },
  empty: { dtype: 'F32', shape: [0, 4], data: new Float32Array(0) },
  scalar: { dtype: 'I32', shape: [], data: new Int32Array([42]) },
};

function bytesOf(data: RawTensor['data']): Uint8Array {
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

describe('saveSafetensors', () => {
  checkTensorLeaks();
  beforeAll(() => useBackend('cpu'));

  it('round-trips every dtype bit for bit (raw tensors)', async () => {
    const path = join(root, 'every-dtype.safetensors');
    await saveSafetensors(path, new Map(Object.entries(EVERY_DTYPE)), { metadata: { format: 'pt' } });
    const f = await SafetensorsFile.open(path);
    try {
      expect(f.names.sort()).toEqual(Object.keys(EVERY_DTYPE).sort());
      expect(f.metadata).toEqual({ format: 'pt' });
      for (const [name, t] of Object.entries(EVERY_DTYPE)) {
        const back = await f.readRaw(name);
        expect(back.dtype, name).toBe(t.dtype);
        expect(back.shape, name).toEqual(t.shape);
        expect(back.data.constructor, name).toBe(t.data.constructor);
        expect(bytesOf(back.data), name).toEqual(bytesOf(t.data));
      }
    } finally {
      await f.close();
    }
  });

  it('writes the reference layout: compact JSON, keys sorted, space padding to 8 bytes', async () => {
    const path = join(root, 'layout.safetensors');
    const tensors = new Map<string, RawTensor>([
      ['b', { dtype: 'F32', shape: [1], data: new Float32Array([1]) }],
      ['10', { dtype: 'U8', shape: [3], data: new Uint8Array([1, 2, 3]) }],
      ['a', { dtype: 'I64', shape: [1], data: new BigInt64Array([5n]) }],
    ]);
    await saveSafetensors(path, tensors, { metadata: { z: '1', a: '2' } });
    const { length, text } = await rawHeader(path);
    const json =
      '{"10":{"dtype":"U8","shape":[3],"data_offsets":[0,3]},"a":{"dtype":"I64","shape":[1],"data_offsets":[3,11]},' +
      '"b":{"dtype":"F32","shape":[1],"data_offsets":[11,15]},"__metadata__":{"a":"2","z":"1"}}';
    expect(length % 8).toBe(0);
    expect(length - json.length).toBeLessThan(8);
    expect(text).toBe(json + ' '.repeat(length - json.length));
    const bytes = await readFile(path);
    expect(bytes.byteLength).toBe(8 + length + 15);
    expect([...bytes.subarray(8 + length, 8 + length + 3)]).toEqual([1, 2, 3]);
  });

  it('re-saving the fixture files reproduces them byte for byte', async () => {
    for (const rel of ['heads/multiple_choice.safetensors', 'fac-adapter/model.safetensors', 'vectors.safetensors']) {
      const src = tinyFixture(rel);
      const f = await SafetensorsFile.open(src);
      const raw = new Map<string, RawTensor>();
      try {
        for (const name of f.names) raw.set(name, await f.readRaw(name));
      } finally {
        await f.close();
      }
      const out = join(root, rel.replace('/', '-'));
      await saveSafetensors(out, raw, { metadata: f.metadata });
      expect(Buffer.compare(await readFile(out), await readFile(src)), rel).toBe(0);
    }
  });

  // Expected bit patterns follow from the IEEE 754 binary16 / bfloat16 definitions (round to nearest, ties to even).
  const F16_CASES: [number, number][] = [
    [1, 0x3c00],
    [-2, 0xc000],
    [0.1, 0x2e66],
    [65504, 0x7bff],
    [65520, 0x7c00], // halfway between 65504 and 65536: ties to even, i.e. overflows to +inf
    [2 ** -24, 0x0001], // smallest subnormal
    [3 * 2 ** -26, 0x0001], // 0.75 of the smallest subnormal rounds up
    [2 ** -25, 0x0000], // exactly half of the smallest subnormal: ties to even (0)
    [1 + 2 ** -11, 0x3c00], // tie between 0x3c00 and 0x3c01: even
    [1 + 3 * 2 ** -11, 0x3c02], // tie between 0x3c01 and 0x3c02: even
    [Number.POSITIVE_INFINITY, 0x7c00],
    [Number.NEGATIVE_INFINITY, 0xfc00],
    [-0, 0x8000],
  ];
  const BF16_CASES: [number, number][] = [
    [1, 0x3f80],
    [0.1, 0x3dcd], // f32 0x3dcccccd: low half 0xcccd > 0x8000 rounds up
    [Math.PI, 0x4049], // f32 0x40490fdb: low half 0x0fdb rounds down
    [1.00390625, 0x3f80], // f32 0x3f808000: tie, even
    [1.01171875, 0x3f82], // f32 0x3f818000: tie, even
    [3.4028234663852886e38, 0x7f80], // f32 max rounds to +inf
    [-0, 0x8000],
  ];

  it('narrows float32 to F16 / BF16 with round-to-nearest-even and widens them on read', async () => {
    for (const [floatDType, cases] of [
      ['F16', F16_CASES],
      ['BF16', BF16_CASES],
    ] as const) {
      const path = join(root, `narrow-${floatDType}.safetensors`);
      const values = cases.map(([v]) => v);
      const [x, ids] = [tf.tensor1d(values), tf.tensor1d([1, 2], 'int32')];
      await saveSafetensors(
        path,
        new Map<string, tf.Tensor | RawTensor>([
          ['x', x],
          ['raw', { dtype: 'F32', shape: [values.length], data: Float32Array.from(values) }],
          ['ids', ids],
        ]),
        { floatDType },
      );
      tf.dispose([x, ids]);
      const f = await SafetensorsFile.open(path);
      try {
        expect(f.entries.get('ids')?.dtype).toBe('I32');
        for (const name of ['x', 'raw']) {
          const raw = await f.readRaw(name);
          expect(raw.dtype).toBe(floatDType);
          expect([...(raw.data as Uint16Array)], `${floatDType} ${name}`).toEqual(cases.map(([, bits]) => bits));
        }
        const back = await f.readTensor('x');
        const widened = back.dataSync();
        back.dispose();
        const expected = cases.map(([, bits]) => widen(floatDType, bits));
        expect(Array.from(widened), floatDType).toEqual(expected);
      } finally {
        await f.close();
      }
    }
  });

  it('keeps NaN a NaN when narrowing', async () => {
    const path = join(root, 'nan.safetensors');
    const nan = tf.tensor1d([Number.NaN]);
    await saveSafetensors(path, new Map([['x', nan]]), { floatDType: 'F16' });
    nan.dispose();
    const f = await SafetensorsFile.open(path);
    try {
      const bits = (await f.readRaw('x')).data[0] as number;
      expect(bits & 0x7c00).toBe(0x7c00);
      expect(bits & 0x03ff).not.toBe(0);
      const back = await f.readTensor('x');
      expect(Number.isNaN(back.dataSync()[0])).toBe(true);
      back.dispose();
    } finally {
      await f.close();
    }
  });
});

/** Decodes F16/BF16 bits from the format definitions with a DataView (independent of the library). */
function widen(dtype: 'F16' | 'BF16', bits: number): number {
  if (dtype === 'BF16') {
    const view = new DataView(new ArrayBuffer(4));
    view.setUint32(0, bits << 16);
    return view.getFloat32(0);
  }
  const sign = bits & 0x8000 ? -1 : 1;
  const exp = (bits >> 10) & 0x1f;
  const frac = bits & 0x3ff;
  if (exp === 0x1f) return frac ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return exp === 0 ? sign * frac * 2 ** -24 : sign * 2 ** (exp - 15) * (1 + frac / 1024);
}

describeBackends('saveSafetensors with tfjs tensors', (backend) => {
  it('stores tfjs tensors as F32 / I32 / BOOL and reads them back', async () => {
    const path = join(root, `tf-${backend}.safetensors`);
    const tensors = new Map<string, tf.Tensor>([
      [
        'w',
        tf.tensor2d([
          [1.25, -2],
          [3, 0.1],
        ]),
      ],
      ['ids', tf.tensor1d([3, -7, 2147483647], 'int32')],
      ['mask', tf.tensor1d([true, false, true], 'bool')],
    ]);
    await saveSafetensors(path, tensors);
    const { json } = await rawHeader(path);
    expect(json).toMatchObject({ w: { dtype: 'F32' }, ids: { dtype: 'I32' }, mask: { dtype: 'BOOL' } });
    expect(json.__metadata__).toBeUndefined();
    const back = await loadSafetensors(path);
    expect(back.get('w')?.arraySync()).toEqual([
      [1.25, -2],
      [3, Math.fround(0.1)],
    ]);
    expect(back.get('ids')?.arraySync()).toEqual([3, -7, 2147483647]);
    expect(back.get('mask')?.dtype).toBe('bool');
    expect(back.get('mask')?.arraySync()).toEqual([1, 0, 1]);
    tf.dispose([...tensors.values(), ...back.values()]);
  });
});

describe('saveSafetensors failures leave nothing behind', () => {
  checkTensorLeaks();
  beforeAll(() => useBackend('cpu'));

  it('refuses a raw tensor whose data does not match its shape, naming it, without creating the file', async () => {
    await mkdir(join(root, 'bad'), { recursive: true });
    const path = join(root, 'bad', 'out.safetensors');
    const tensors = new Map<string, RawTensor>([
      ['ok', { dtype: 'F32', shape: [2], data: new Float32Array(2) }],
      ['broken', { dtype: 'F32', shape: [2, 3], data: new Float32Array(5) }],
    ]);
    await expect(saveSafetensors(path, tensors)).rejects.toMatchObject({
      code: 'E_SHAPE',
      message: expect.stringMatching(/out\.safetensors.*tensor 'broken'.*6 elements but the data has 5/),
    });
    const wrongType = new Map<string, RawTensor>([
      ['x', { dtype: 'F16', shape: [1], data: new Float32Array(1) as unknown as Uint16Array }],
    ]);
    await expect(saveSafetensors(path, wrongType)).rejects.toMatchObject({
      code: 'E_DTYPE',
      message: expect.stringContaining("tensor 'x'"),
    });
    expect((await readdir(join(root, 'bad'))).sort()).toEqual([]);
  });

  it('removes the temp file and keeps the old file when writing fails midway', async () => {
    await mkdir(join(root, 'midway'), { recursive: true });
    const path = join(root, 'midway', 'model.safetensors');
    await writeFile(path, 'previous contents');
    let reads = 0;
    // Fails on the second data read: after the header and the first tensor were written.
    class FailingMap extends Map<string, RawTensor> {
      override get(key: string): RawTensor | undefined {
        reads++;
        if (reads === 4) throw new Error('disk full (simulated)');
        return super.get(key);
      }
    }
    const tensors = new FailingMap([
      ['a', { dtype: 'F32', shape: [4], data: new Float32Array(4) }],
      ['b', { dtype: 'F32', shape: [4], data: new Float32Array(4) }],
    ]);
    await expect(saveSafetensors(path, tensors)).rejects.toThrow('disk full (simulated)');
    expect(reads).toBe(4);
    expect((await readdir(join(root, 'midway'))).sort()).toEqual(['model.safetensors']);
    expect(await readFile(path, 'utf8')).toBe('previous contents');
  });

  it('a missing target directory is a NotFoundError naming the file', async () => {
    const path = join(root, 'no-such-dir', 'x.safetensors');
    await expect(saveSafetensors(path, new Map())).rejects.toMatchObject({
      code: 'E_NOT_FOUND',
      message: expect.stringContaining('no-such-dir/x.safetensors: directory'),
    });
  });

  it('refuses reserved names, non-string metadata and unsupported tfjs dtypes', async () => {
    const path = join(root, 'refused.safetensors');
    const x: RawTensor = { dtype: 'U8', shape: [1], data: new Uint8Array(1) };
    await expect(saveSafetensors(path, new Map([['__metadata__', x]]))).rejects.toMatchObject({ code: 'E_FORMAT' });
    await expect(
      saveSafetensors(path, new Map([['x', x]]), { metadata: { n: 1 as unknown as string } }),
    ).rejects.toMatchObject({ code: 'E_FORMAT', message: expect.stringContaining("field '__metadata__'") });
    const c = tf.complex([1], [2]);
    await expect(saveSafetensors(path, new Map([['c', c]]))).rejects.toMatchObject({
      code: 'E_DTYPE',
      message: expect.stringContaining("tensor 'c'"),
    });
    c.dispose();
    expect((await readdir(root)).sort()).not.toContain('refused.safetensors');
  });
});
