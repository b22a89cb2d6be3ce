import { objectOf, recordError, stringField } from '../fields.js';
import { truncatePair, idsAndMask } from '../sequence.js';
import type { InputRecord, TaskEncoder } from '@kadapter/core';

/** The official CosmosQA features pad with id 0 (`<s>`), not with `<pad>`. */
export const COSMOSQA_PAD_ID = 0;

/** Label value written for an example without a label (test data). */
export const NO_LABEL = -1;

export interface CosmosQaExample {
  context: string;
  question: string;
  answers: [string, string, string, string];
  label: number;
}

/**
 * `int(label) if label else None` of the official reader, made total: a string holding an
 * integer (Python `int()` accepts surrounding whitespace) or an integer gives that value; a
 * missing, null or empty label gives NO_LABEL. The official code also turns an integer 0 into
 * None and then fails; here 0 is label 0. Anything else, or a value outside 0..3, is a DataError.
 */
function parseLabel(record: InputRecord, value: unknown): number {
  if (value === undefined || value === null || value === '') return NO_LABEL;
  const n =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && /^\s*[+-]?\d+\s*$/.test(value)
        ? Number(value.trim())
        : Number.NaN;
  if (!Number.isInteger(n) || n < 0 || n > 3) {
    throw recordError(record, `label ${JSON.stringify(value)} is not an answer index 0..3`, 'label');
  }
  return n;
}

/** Checks one CosmosQA record (`read_examples_origin` fields; the label as `parseLabel` says). */
export function parseCosmosQa(record: InputRecord): CosmosQaExample {
  const obj = objectOf(record);
  const answers = [0, 1, 2, 3].map((k) => stringField(record, obj, `answer${k}`));
  return {
    context: stringField(record, obj, 'context'),
    question: stringField(record, obj, 'question'),
    answers: answers as CosmosQaExample['answers'],
    label: parseLabel(record, obj.label),
  };
}

/**
 * CosmosQA multiple choice (run_finetune_cosmosqa_adapter.py `read_examples_origin` +
 * `convert_examples_to_features`): per answer k, `<s> C </s> Q </s> A_k </s>` where C =
 * tokenize(context) and `Q </s> A_k` = tokenize(question + ' </s> ' + answer_k) (the inner `</s>`
 * is split out as a special token), the pair truncated from the longer side to L-3, padded with
 * id 0 (mask 0). Reads JSON lines or the upstream CSV (same keys).
 */
export const cosmosQaEncoder: TaskEncoder<CosmosQaExample> = {
  name: 'cosmosqa',
  description: 'CosmosQA multiple choice (4 answers)',
  featureShapes: (ctx) => ({ input_ids: [4, ctx.maxLen], attention_mask: [4, ctx.maxLen], labels: [] }),
  parse: parseCosmosQa,
  segments(ex, ctx) {
    const sep = ctx.tokenizer.special.eos.token;
    return [ex.context, ...ex.answers.map((a) => `${ex.question} ${sep} ${a}`)];
  },
  build(ex, tokens, ctx) {
    const L = ctx.maxLen;
    const { bos, eos } = ctx.tokenizer.special;
    const inputIds = new Int32Array(4 * L);
    const mask = new Int32Array(4 * L);
    for (let k = 0; k < 4; k++) {
      const context = [...tokens[0]!];
      const ending = [...tokens[k + 1]!];
      truncatePair(context, ending, L - 3);
      const seq = idsAndMask(
        ctx.tokenizer,
        [bos.token, ...context, eos.token, ...ending, eos.token],
        L,
        COSMOSQA_PAD_ID,
      );
      inputIds.set(seq.ids, k * L);
      mask.set(seq.mask, k * L);
    }
    return { features: { input_ids: inputIds, attention_mask: mask, labels: [ex.label] } };
  },
};
