import { useBackend } from '@kadapter/test-utils';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { fixtureNumbers, fixtureVectors, fixtureWeights, int32Column, tensorOf } from '../src/index.js';

beforeAll(() => useBackend('cpu'));

describe('the tiny fixture as tensors', () => {
  it('loads reference vectors by prefix, I64 as int32, and names a missing one', async () => {
    const v = await fixtureVectors('core.input_ids', 'core.attention_mask');
    expect([...v.keys()].sort()).toEqual(['core.attention_mask', 'core.input_ids']);
    const ids = tensorOf(v, 'core.input_ids');
    expect([ids.dtype, ids.shape]).toEqual(['int32', [4, 16]]);
    expect(() => tensorOf(v, 'core.nothing')).toThrow('fixture tensor core.nothing is missing');
    const numbers = await fixtureNumbers('core.input_ids');
    expect(numbers.shape).toEqual([4, 16]);
    expect(numbers.values).toEqual(Array.from(ids.dataSync()));
    const column = int32Column(v, 'core.attention_mask');
    expect(column.shape).toEqual([4, 16]);
    expect(column.data).toBeInstanceOf(Int32Array);
    expect(Array.from(column.data)).toEqual((await fixtureNumbers('core.attention_mask')).values);
    tf.dispose([...v.values()]);
  });

  it('loads a weights file, all of it or the tensors under some prefixes', async () => {
    const all = await fixtureWeights(['fac-adapter', 'model.safetensors']);
    const adapter = await fixtureWeights(['fac-adapter', 'model.safetensors'], 'adapter.');
    expect(all.size).toBe(114);
    expect(adapter.size).toBe(108);
    expect([...adapter.keys()].every((n) => n.startsWith('adapter.'))).toBe(true);
    tf.dispose([...all.values(), ...adapter.values()]);
  });
});
