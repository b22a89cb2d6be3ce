import { createHash } from 'node:crypto';
import { type EncodedData, paddedLength } from './input.js';
import type { PositionIdMode } from '@kadapter/nn';

/** Everything the cached features depend on. Changing any part changes the key. */
export interface FeatureKeyParts {
  /** the backbone's weights: `info.contentHash`, else `info.revision` */
  backboneRevision: string;
  /** RoBERTa position numbering (changes the pad rows) */
  positionIds: PositionIdMode;
  /** identity of the tokenizer that produced the ids, e.g. `RobertaTokenizer.fingerprint` */
  tokenizer: string;
  /** padded sequence length */
  maxLength: number;
  /** `hashEncodedData` of the ids and masks */
  dataHash: string;
  /** hidden-state indices stored besides the last layer, ascending */
  taps: readonly number[];
}

/** Bumped when the layout of cached shards changes, so old caches are not read. */
const FORMAT_VERSION = 1;

/** 32 hex digits of the SHA-256 of the parts (fixed field order) and the cache format version. */
export function featureCacheKey(parts: FeatureKeyParts): string {
  const canonical = JSON.stringify([
    FORMAT_VERSION,
    parts.backboneRevision,
    parts.positionIds,
    parts.tokenizer,
    parts.maxLength,
    parts.dataHash,
    [...parts.taps],
  ]);
  return createHash('sha256').update(canonical).digest('hex').slice(0, 32);
}

/** SHA-256 (hex) of the ids and masks, row by row. */
export function hashEncodedData(data: EncodedData): string {
  const length = paddedLength(data);
  const hash = createHash('sha256');
  hash.update(`${data.inputIds.length}x${length};`);
  const row = new Int32Array(length);
  for (const rows of [data.inputIds, data.attentionMask]) {
    for (const r of rows) {
      row.set(r);
      hash.update(new Uint8Array(row.buffer));
    }
  }
  return hash.digest('hex');
}
