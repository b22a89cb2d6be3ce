import { createHash } from 'node:crypto';
import { InputError } from '@kadapter/core';
import type { PositionIdMode } from './positions.js';

/** Token ids and masks of a dataset, rows padded to one length (what `kadapter features` reads). */
export interface EncodedData {
  inputIds: readonly (readonly number[])[];
  attentionMask: readonly (readonly number[])[];
}

/** Everything the cached features depend on. Changing any part changes the key. */
export interface FeatureKeyParts {
  /** weights revision of the backbone (`info.revision`) */
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

/**
 * The padded length of rectangular data; a ragged row or a mask row of another length is an
 * InputError naming the field and row.
 */
export function paddedLength(data: EncodedData): number {
  const { inputIds, attentionMask } = data;
  if (inputIds.length === 0) throw new InputError('no sequences', { field: 'input_ids' });
  if (attentionMask.length !== inputIds.length) {
    throw new InputError(`${attentionMask.length} mask rows for ${inputIds.length} id rows`, {
      field: 'attention_mask',
    });
  }
  const length = inputIds[0]!.length;
  inputIds.forEach((row, i) => {
    if (row.length !== length) {
      throw new InputError(`row ${i} has ${row.length} ids, row 0 has ${length}`, { field: 'input_ids' });
    }
    if (attentionMask[i]!.length !== length) {
      throw new InputError(`row ${i} has ${attentionMask[i]!.length} mask values for ${length} ids`, {
        field: 'attention_mask',
      });
    }
  });
  return length;
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
