import type { PositionIdMode } from '@kadapter/nn';
import { type BackboneConfig, firstPosition } from './config.js';

/** The position numberings a backbone can use (see `PositionIdMode` in @kadapter/nn). */
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
