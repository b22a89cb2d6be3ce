import { type BackboneInput, InputError, ShapeError } from '@kadapter/core';
import * as tf from '@tensorflow/tfjs';
import { type BackboneConfig, maxSequenceLength } from './config.js';
import { type PositionIdMode, positionIds } from './positions.js';

/** Validated encoder inputs as tensors the caller disposes. */
export interface PreparedInput {
  batch: number;
  length: number;
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
  const limit = maxSequenceLength(config);
  if (length > limit) {
    throw new InputError(
      `sequence length ${length} exceeds the ${limit} positions that max_position_embeddings ${config.maxPositionEmbeddings} allows`,
      { field: 'input_ids' },
    );
  }
  const ids = inputIds.dataSync();
  checkValues(
    ids,
    length,
    'input_ids',
    (v) => Number.isInteger(v) && v >= 0 && v < config.vocabSize,
    () => `outside the vocabulary [0, ${config.vocabSize})`,
  );
  checkValues(
    attentionMask.dataSync(),
    length,
    'attention_mask',
    (v) => v === 0 || v === 1,
    () => 'not 0 or 1',
  );
  if (tokenTypeIds) {
    checkValues(
      tokenTypeIds.dataSync(),
      length,
      'token_type_ids',
      (v) => Number.isInteger(v) && v >= 0 && v < config.typeVocabSize,
      () => `outside [0, ${config.typeVocabSize}) (type_vocab_size)`,
    );
  }
  return {
    batch,
    length,
    inputIds: tf.tensor2d(Int32Array.from(ids), [batch, length], 'int32'),
    positionIds: tf.tensor2d(positionIds(ids, batch, length, config, mode), [batch, length], 'int32'),
    tokenTypeIds: tokenTypeIds ? (tf.cast(tokenTypeIds, 'int32') as tf.Tensor2D) : tf.zeros([batch, length], 'int32'),
    mask: tf.cast(attentionMask, 'float32') as tf.Tensor2D,
  };
}

function checkValues(
  values: ArrayLike<number>,
  length: number,
  field: string,
  ok: (v: number) => boolean,
  why: () => string,
): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (!ok(v)) {
      const at = `[${Math.floor(i / length)}, ${i % length}]`;
      throw new InputError(`${field}${at} = ${v} is ${why()}`, { field });
    }
  }
}
