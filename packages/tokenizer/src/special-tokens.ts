import { FormatError } from '@kadapter/core';
import { isJsonObject } from '@kadapter/files';

/** Names of RoBERTa's special tokens, as `special_tokens_map.json` / `tokenizer_config.json` store them. */
export interface SpecialTokenNames {
  bos: string;
  eos: string;
  unk: string;
  pad: string;
  sep: string;
  cls: string;
  mask: string;
}

/** RobertaTokenizer's defaults (pytorch_transformers 1.2 and transformers alike). */
export const ROBERTA_SPECIAL_TOKENS: Readonly<SpecialTokenNames> = {
  bos: '<s>',
  eos: '</s>',
  unk: '<unk>',
  pad: '<pad>',
  sep: '</s>',
  cls: '<s>',
  mask: '<mask>',
};

const KEYS = ['bos', 'eos', 'unk', 'pad', 'sep', 'cls', 'mask'] as const;

/**
 * Special token names from a parsed `special_tokens_map.json` or `tokenizer_config.json`
 * (`"bos_token": "<s>"` or `"bos_token": {"content": "<s>", ...}`); names the file leaves out
 * keep RoBERTa's defaults.
 */
export function specialTokenNames(json: unknown, file: string): SpecialTokenNames {
  if (!isJsonObject(json)) throw new FormatError('expected a JSON object of special tokens', { file });
  const names: SpecialTokenNames = { ...ROBERTA_SPECIAL_TOKENS };
  for (const key of KEYS) {
    const field = `${key}_token`;
    const value = json[field];
    if (value === undefined || value === null) continue;
    const content = isJsonObject(value) ? value.content : value;
    if (typeof content !== 'string' || content.length === 0) {
      throw new FormatError('expected a non-empty string or {"content": string}', { file, field });
    }
    names[key] = content;
  }
  return names;
}

/** The distinct special token strings, in the order bos, eos, unk, sep, pad, cls, mask. */
export function specialTokenList(names: SpecialTokenNames): string[] {
  return [...new Set(KEYS.map((k) => names[k]))];
}
