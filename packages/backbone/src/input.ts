import { InputError, ShapeError } from '@kadapter/core';
import type { BackboneInput, SequenceData } from '@kadapter/nn';
import * as tf from '@tensorflow/tfjs';
import { type BackboneConfig, maxSequenceLength } from './config.js';
import { positionIds } from './positions.js';
import type { PositionIdMode } from '@kadapter/nn';

/** Token ids and masks of a dataset, rows padded to one length (what `kadapter features` reads). */
export interface EncodedData {
  inputIds: readonly (readonly number[])[];
  attentionMask: readonly (readonly number[])[];
}

/** Validated encoder inputs as tensors the caller disposes. */
export interface PreparedInput {
  inputIds: tf.Tensor2D;
  positionIds: tf.Tensor2D;
  tokenTypeIds: tf.Tensor2D;
  /** float32 [B, L] */
  mask: tf.Tensor2D;
}

/**
 * Checks ids, mask and token types against the config and builds position ids. Errors name the
 * field and the first offending [row, column].
 */
export function prepareInput(input: BackboneInput, config: BackboneConfig, mode: PositionIdMode): PreparedInput {
  const { inputIds, attentionMask, tokenTypeIds } = input;
  if (inputIds.rank !== 2 || inputIds.shape[0] === 0 || inputIds.shape[1] === 0) {
    throw new ShapeError(`input_ids must be a non-empty [batch, length] tensor, got [${inputIds.shape}]`, {
      field: 'input_ids',
    });
  }
  const [batch, length] = inputIds.shape;
  const sameShape = (t: tf.Tensor, field: string) => {
    if (t.rank !== 2 || t.shape[0] !== batch || t.shape[1] !== length) {
      throw new ShapeError(`${field} has shape [${t.shape}] but input_ids has [${batch},${length}]`, { field });
    }
  };
  sameShape(attentionMask, 'attention_mask');
  if (tokenTypeIds) sameShape(tokenTypeIds, 'token_type_ids');
  const ids = inputIds.dataSync();
  checkTokens(config, length, ids, attentionMask.dataSync(), tokenTypeIds?.dataSync());
  return {
    inputIds: tf.tensor2d(Int32Array.from(ids), [batch, length], 'int32'),
    positionIds: tf.tensor2d(positionIds(ids, batch, length, config, mode), [batch, length], 'int32'),
    tokenTypeIds: tokenTypeIds ? (tf.cast(tokenTypeIds, 'int32') as tf.Tensor2D) : tf.zeros([batch, length], 'int32'),
    mask: tf.cast(attentionMask, 'float32') as tf.Tensor2D,
  };
}

/**
 * Checks sequence data [N, L] with the rules of `encode` (ids in the vocabulary, 0/1 masks, a
 * length the positions allow); errors name `file` (when given), the field and the [row, column].
 */
export function checkSequenceData(data: SequenceData, config: BackboneConfig, file?: string): void {
  const length = data.inputIds.shape[1] as number;
  checkTokens(config, length, data.inputIds.data, data.attentionMask.data, undefined, file);
}

/**
 * The padded length of rectangular data; no rows, a ragged row or a mask row of another length is
 * an InputError naming the field and row.
 */
export function paddedLength(data: EncodedData, file?: string): number {
  const { inputIds, attentionMask } = data;
  const fail = (field: string, message: string): never => {
    throw new InputError(message, { file, field });
  };
  if (!Array.isArray(inputIds) || inputIds.length === 0) fail('input_ids', 'no sequences');
  if (!Array.isArray(attentionMask) || attentionMask.length !== inputIds.length) {
    fail('attention_mask', `${attentionMask?.length ?? 'no'} mask rows for ${inputIds.length} id rows`);
  }
  const length = inputIds[0]?.length ?? 0;
  if (length === 0) fail('input_ids', 'row 0 is empty');
  inputIds.forEach((row, i) => {
    if (!Array.isArray(row) || row.length !== length) {
      fail('input_ids', `row ${i} has ${row?.length ?? 'no'} ids, row 0 has ${length}`);
    }
    if (!Array.isArray(attentionMask[i]) || attentionMask[i]!.length !== length) {
      fail('attention_mask', `row ${i} has ${attentionMask[i]?.length ?? 'no'} mask values for ${length} ids`);
    }
  });
  return length;
}

function checkTokens(
  config: BackboneConfig,
  length: number,
  ids: ArrayLike<number>,
  mask: ArrayLike<number>,
  types: ArrayLike<number> | undefined,
  file?: string,
): void {
  const limit = maxSequenceLength(config);
  if (length > limit) {
    throw new InputError(
      `sequence length ${length} exceeds the ${limit} positions that max_position_embeddings ${config.maxPositionEmbeddings} allows`,
      { file, field: 'input_ids' },
    );
  }
  const check = (values: ArrayLike<number>, field: string, ok: (v: number) => boolean, why: string) => {
    for (let i = 0; i < values.length; i++) {
      const v = values[i] as number;
      if (!ok(v)) {
        const at = `[${Math.floor(i / length)}, ${i % length}]`;
        throw new InputError(`${field}${at} = ${v} is ${why}`, { file, field });
      }
    }
  };
  const below = (n: number) => (v: number) => Number.isInteger(v) && v >= 0 && v < n;
  check(ids, 'input_ids', below(config.vocabSize), `outside the vocabulary [0, ${config.vocabSize})`);
  check(mask, 'attention_mask', (v) => v === 0 || v === 1, 'not 0 or 1');
  if (types) {
    check(
      types,
      'token_type_ids',
      below(config.typeVocabSize),
      `outside [0, ${config.typeVocabSize}) (type_vocab_size)`,
    );
  }
}
