/**
 * Loads the tiny RoBERTa of ../shared/fixtures, encodes two padded rows, and caches their
 * features. Run from packages/backbone: `npx tsx --conditions=@kadapter/source examples/encode.ts`.
 */
import { fileURLToPath } from 'node:url';
import { FeatureCache, loadBackbone } from '@kadapter/backbone';
import { initBackend } from '@kadapter/nn/runtime';
import * as tf from '@tensorflow/tfjs';

await initBackend({ backend: 'wasm' });
const dir = fileURLToPath(new URL('../../../../shared/fixtures/kadapter-tiny', import.meta.url));
const backbone = await loadBackbone(dir); // frozen, K-Adapter (legacy) position ids
console.log(backbone.info);

// <s> Paris is the capital </s> <pad> <pad>, and a shorter row
const rows = {
  inputIds: [
    [0, 84, 320, 312, 264, 2, 1, 1],
    [0, 312, 264, 2, 1, 1, 1, 1],
  ],
  attentionMask: [
    [1, 1, 1, 1, 1, 1, 0, 0],
    [1, 1, 1, 1, 0, 0, 0, 0],
  ],
};
const inputIds = tf.tensor2d(rows.inputIds, undefined, 'int32');
const attentionMask = tf.tensor2d(rows.attentionMask, undefined, 'int32');
const out = backbone.encode({ inputIds, attentionMask }, { taps: [0, 2] });
console.log(
  'hidden states kept:',
  out.hiddenStates.map((h) => (h ? `[${h.shape}]` : '-')).join(' '),
  '| last:',
  `[${out.last.shape}]`,
  '| last[0, 0, :4]:',
  Array.from(out.last.dataSync().slice(0, 4), (v) => v.toFixed(4)).join(' '),
);
tf.dispose([inputIds, attentionMask, ...out.hiddenStates, out.last, out.mask] as tf.Tensor[]);

// The taps adapters read plus the last layer, computed once and reused while the backbone is frozen.
const cache = new FeatureCache({ dir: '/tmp/kadapter-example-features', budgetBytes: 64 * 2 ** 20, quiet: true });
for (let epoch = 0; epoch < 2; epoch++) {
  const features = await cache.features(backbone, rows, { tokenizer: 'kadapter-tiny', taps: [0, 2, 3] });
  const shard = await features.readShard(0);
  console.log(`epoch ${epoch}: cache ${features.hit ? 'hit' : 'written'}, shard 0 last [${shard.last.shape}]`);
  tf.dispose([...shard.hiddenStates, shard.last, shard.mask] as tf.Tensor[]);
}
backbone.dispose();
