import { checkTensorLeaks, tinyFixture, useBackend } from '@kadapter/test-utils';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSafetensors, SafetensorsFile } from '../src/index.js';

describe('SafetensorsFile on the tiny fixture', () => {
  checkTensorLeaks();
  beforeAll(() => useBackend('cpu'));

  it('reads the backbone with Hugging Face names and shapes', async () => {
    const f = await SafetensorsFile.open(tinyFixture('model.safetensors'));
    try {
      expect(f.entries.get('roberta.embeddings.word_embeddings.weight')).toMatchObject({
        dtype: 'F32',
        shape: [534, 64],
      });
      expect(f.names).toContain('roberta.encoder.layer.3.output.LayerNorm.bias');
      const t = await f.readTensor('roberta.embeddings.LayerNorm.weight');
      expect(t.shape).toEqual([64]);
      expect(t.dtype).toBe('float32');
      t.dispose();
    } finally {
      await f.close();
    }
  });

  it('reads I64 tensors as int32', async () => {
    const all = await loadSafetensors(tinyFixture('vectors.safetensors'), (n) => n.startsWith('core.'));
    const ids = all.get('core.input_ids');
    if (!ids) throw new Error('core.input_ids missing');
    expect(ids.dtype).toBe('int32');
    expect(ids.shape).toEqual([4, 16]);
    expect((ids.arraySync() as number[][])[0]?.[0]).toBe(0);
    for (const t of all.values()) t.dispose();
  });
});
