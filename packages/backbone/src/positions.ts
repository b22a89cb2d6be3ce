import { type BackboneConfig, firstPosition } from './config.js';

/**
 * How RoBERTa position ids are numbered.
 * - `legacy` (default): `padding_idx + 1 .. padding_idx + L` on every row, pads included, as the
 *   pytorch_transformers 1.2 code vendored by K-Adapter does (what the official checkpoints saw).
 * - `hf`: the modern Hugging Face rule: real tokens are numbered from `padding_idx + 1` by their
 *   rank among non-pad tokens, and pad tokens (id == pad_token_id) get `padding_idx`.
 * BERT always numbers positions `0 .. L-1`.
 */
export type PositionIdMode = 'legacy' | 'hf';

export const POSITION_ID_MODES: readonly PositionIdMode[] = ['legacy', 'hf'];

/** Position ids [B·L] (row-major) for flat token ids of shape [B, L]. */
export function positionIds(
  ids: ArrayLike<number>,
  batch: number,
  length: number,
  config: BackboneConfig,
  mode: PositionIdMode,
): Int32Array {
  const out = new Int32Array(batch * length);
  const first = firstPosition(config);
  const hf = config.modelType === 'roberta' && mode === 'hf';
  for (let b = 0; b < batch; b++) {
    let rank = 0;
    for (let j = 0; j < length; j++) {
      const i = b * length + j;
      if (!hf) out[i] = first + j;
      else if (ids[i] === config.padTokenId) out[i] = config.padTokenId;
      else out[i] = config.padTokenId + ++rank;
    }
  }
  return out;
}
