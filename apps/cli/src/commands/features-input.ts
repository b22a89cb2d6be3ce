import type { EncodedData } from '@kadapter/backbone';
import { FormatError, InputError } from '@kadapter/core';
import { isJsonObject, readJsonFile, readTextFile } from '@kadapter/files';
import { loadTokenizer } from '@kadapter/tokenizer';

/** Where `kadapter features` reads its sequences from (exactly one of the three). */
export interface FeaturesInputOptions {
  /** JSON file with `input_ids` (rows may differ in length) and optionally `attention_mask` */
  input?: string;
  /** text, one sequence per line */
  text?: string;
  /** file of text, one sequence per line */
  textFile?: string;
  /** tokenizer for text (default: `backbone`) */
  tokenizer?: string;
  backbone: string;
  /** pad every sequence to this length (default: the longest) */
  maxLength?: number;
}

/** Refuses anything but exactly one of --input, --text and --text-file (before any work). */
export function checkFeaturesInput(o: FeaturesInputOptions): void {
  if ([o.input, o.text, o.textFile].filter((x) => x !== undefined).length !== 1) {
    throw new InputError('give exactly one of --input <ids.json>, --text "..." and --text-file <file>', {
      field: '--input',
    });
  }
}

/**
 * Reads the sequences of `kadapter features` and pads them to one length: ids with `padId` (text:
 * the tokenizer's pad token), the mask with 0 on padding (1 elsewhere when none is given).
 */
export async function readFeaturesInput(o: FeaturesInputOptions, padId: number): Promise<EncodedData> {
  checkFeaturesInput(o);
  if (o.input !== undefined) return padRows(await readIdsJson(o.input), padId, o.maxLength, o.input);
  const text = o.text ?? (await readTextFile(o.textFile as string));
  return tokenizeLines(text, o, o.textFile ?? '--text');
}

/** `input_ids` (number[][], rows of any length) and optional `attention_mask` of the same row lengths. */
async function readIdsJson(file: string): Promise<{ ids: number[][]; mask?: number[][] }> {
  const obj = await readJsonFile(file);
  if (!isJsonObject(obj)) throw new FormatError('expected an object with "input_ids" (and "attention_mask")', { file });
  const rows = (field: string): number[][] | undefined => {
    const value = obj[field];
    if (value === undefined && field === 'attention_mask') return undefined;
    if (!Array.isArray(value) || !value.every(Array.isArray))
      throw new FormatError(`"${field}" must be an array of arrays of numbers`, { file, field });
    return value as number[][];
  };
  const ids = rows('input_ids') as number[][];
  const empty = ids.findIndex((row) => row.length === 0);
  if (empty >= 0) throw new InputError(`row ${empty} is empty`, { file, field: 'input_ids' });
  const mask = rows('attention_mask');
  if (mask !== undefined) {
    if (mask.length !== ids.length)
      throw new InputError(`${mask.length} mask rows for ${ids.length} id rows`, { file, field: 'attention_mask' });
    mask.forEach((row, i) => {
      if (row.length !== (ids[i] as number[]).length)
        throw new InputError(
          `row ${i} has ${row.length} values, its input_ids row has ${(ids[i] as number[]).length}`,
          {
            file,
            field: 'attention_mask',
          },
        );
    });
  }
  return mask === undefined ? { ids } : { ids, mask };
}

/** Right-pads rows to `maxLength` (default: the longest row); the mask defaults to ones. */
function padRows(
  rows: { ids: number[][]; mask?: number[][] },
  padId: number,
  maxLength: number | undefined,
  where: string,
): EncodedData {
  const length = maxLength ?? Math.max(0, ...rows.ids.map((r) => r.length));
  rows.ids.forEach((row, i) => {
    if (row.length > length)
      throw new InputError(`row ${i} has ${row.length} ids, more than --max-length ${length}`, {
        file: where,
        field: 'input_ids',
      });
  });
  const pad = (row: readonly number[], value: number) => [
    ...row,
    ...new Array<number>(length - row.length).fill(value),
  ];
  return {
    inputIds: rows.ids.map((row) => pad(row, padId)),
    attentionMask: rows.ids.map((row, i) => pad(rows.mask?.[i] ?? new Array<number>(row.length).fill(1), 0)),
  };
}

/**
 * Each line becomes `<s> tokens </s>`, tokenised as the official (pytorch_transformers 1.2)
 * `tokenizer.encode(line, add_special_tokens=True)` did, right-padded with the pad id.
 */
async function tokenizeLines(text: string, o: FeaturesInputOptions, where: string): Promise<EncodedData> {
  const lines = text.split(/\r?\n/);
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  const tokenizer = await loadTokenizer(o.tokenizer ?? o.backbone);
  const { bos, eos, pad } = tokenizer.special;
  const tokens = await tokenizer.tokenizeSegments(lines);
  const ids = tokens.map((t) => [bos.id, ...tokenizer.tokensToIds(t), eos.id]);
  const length = o.maxLength ?? Math.max(...ids.map((r) => r.length));
  ids.forEach((row, i) => {
    if (row.length > length) {
      throw new InputError(
        `line ${i + 1} has ${row.length} tokens with <s> and </s>, more than --max-length ${length}`,
        {
          ...(where === '--text' ? { field: '--text' } : { file: where }),
          line: i + 1,
        },
      );
    }
  });
  return padRows({ ids }, pad.id, length, where);
}
