import { SafetensorsFile } from '@kadapter/io';
import {
  additiveMask,
  bertLayer,
  bertLayerDef,
  embeddingDef,
  layerNorm,
  layerNormDef,
  leaves,
  list,
  prefixed,
  record,
} from '@kadapter/nn';
import { expectClose, tinyFixture } from '@kadapter/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GraphFunction, type GraphTensor, OrtEngine, type OrtTensor, ortTensor, paramTree } from '../src/index.js';

/*
 * The tiny RoBERTa of ../shared/fixtures/kadapter-tiny (hidden 64, 4 layers, 4 heads, FFN 128)
 * built from nn's blocks and run through the engine: every hidden state against the official
 * PyTorch code's (core.hidden_states.*), within 1e-4. Embeddings as the vendored RobertaModel sums
 * them: word + position (2..L+1 on every row, pads included) + token type 0, then LayerNorm.
 */

const config = { vocab: 534, hidden: 64, layers: 4, heads: 4, ffn: 128, positions: 130, eps: 1e-5 };

const def = record({
  embeddings: record({
    word_embeddings: embeddingDef(config.vocab, config.hidden),
    position_embeddings: embeddingDef(config.positions, config.hidden),
    token_type_embeddings: embeddingDef(1, config.hidden),
    LayerNorm: layerNormDef(config.hidden),
  }),
  layers: prefixed(
    'encoder.layer',
    list(config.layers, () => bertLayerDef(config.hidden, config.ffn)),
  ),
});

const engine = new OrtEngine({ threads: 1 });
let weights: SafetensorsFile;
let vectors: SafetensorsFile;
beforeAll(async () => {
  weights = await SafetensorsFile.open(tinyFixture('model.safetensors'));
  vectors = await SafetensorsFile.open(tinyFixture('vectors.safetensors'));
});
afterAll(async () => {
  await weights?.close();
  await vectors?.close();
});

async function int32(name: string): Promise<OrtTensor> {
  const raw = await vectors.readRaw(name);
  return ortTensor(Int32Array.from(raw.data as BigInt64Array, Number), raw.shape);
}

/** A stored tensor in memory layout (PyTorch keeps linear weights as [out, in]). */
function memoryLayout(data: Float32Array, stored: readonly number[], transposed: boolean): Float32Array {
  if (!transposed) return data;
  const [rows, cols] = stored as [number, number];
  const out = new Float32Array(data.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = data[r * cols + c] as number;
  return out;
}

describe('tiny RoBERTa encoder through the engine against the official hidden states', () => {
  it('reproduces core.hidden_states.0..4 within 1e-4', async () => {
    const feeds: Record<string, OrtTensor> = {};
    for (const leaf of leaves(def)) {
      const raw = await weights.readRaw(`roberta.${leaf.name}`);
      const values = memoryLayout(raw.data as Float32Array, raw.shape, leaf.def.layout === 'transposed');
      feeds[leaf.name] = ortTensor(values, leaf.def.shape);
    }
    const ids = await int32('core.input_ids');
    const [b, l] = ids.dims as [number, number];
    const positions = Int32Array.from({ length: b * l }, (_, i) => 2 + (i % l));
    expect([...(await int32('core.position_ids')).data]).toEqual([...positions]);
    feeds.input_ids = ids;
    feeds.position_ids = ortTensor(positions, [b, l]);
    feeds.token_type_ids = ortTensor(new Int32Array(b * l), [b, l]);
    feeds.attention_mask = await int32('core.attention_mask');

    const fn = new GraphFunction(engine, (o, x) => {
      const p = paramTree(def, (leaf) => x[leaf.name] as GraphTensor);
      const e = p.embeddings;
      const sum = o.add(
        o.add(
          o.gather(e.word_embeddings.weight, x.input_ids as GraphTensor),
          o.gather(e.position_embeddings.weight, x.position_ids as GraphTensor),
        ),
        o.gather(e.token_type_embeddings.weight, x.token_type_ids as GraphTensor),
      );
      const mask = additiveMask(o, x.attention_mask as GraphTensor);
      const states: Record<string, GraphTensor> = {};
      let h = layerNorm(o, sum, e.LayerNorm, config.eps);
      states.h0 = h;
      p.layers.forEach((layer, k) => {
        h = bertLayer(o, h, layer, { heads: config.heads, layerNormEps: config.eps, dropout: 0.1, mask });
        states[`h${k + 1}`] = h;
      });
      return states;
    });
    try {
      const out = await fn.run(feeds);
      for (let k = 0; k <= config.layers; k++) {
        const want = await vectors.readRaw(`core.hidden_states.${k}`);
        expect([...(out[`h${k}`] as OrtTensor).dims]).toEqual(want.shape);
        expectClose((out[`h${k}`] as OrtTensor).data as Float32Array, want.data as Float32Array, `hidden state ${k}`);
      }
    } finally {
      await fn.dispose();
    }
  });
});
