import { FormatError } from '@kadapter/core';
import { isJsonObject, parseJson } from '@kadapter/files';
import type { SpecialTokenNames } from './special-tokens.js';

/** Parses `vocab.json`: an object token → id with distinct non-negative integer ids. */
export function parseVocab(text: string, file: string): Map<string, number> {
  const json = parseJson(text, file);
  if (!isJsonObject(json)) throw new FormatError('expected a JSON object mapping tokens to ids', { file });
  const vocab = new Map<string, number>();
  const seen = new Map<number, string>();
  for (const [token, id] of Object.entries(json)) {
    if (typeof id !== 'number' || !Number.isInteger(id) || id < 0) {
      throw new FormatError(`id of token '${token}' is ${JSON.stringify(id)}, expected a non-negative integer`, {
        file,
        field: token,
      });
    }
    const other = seen.get(id);
    if (other !== undefined) {
      throw new FormatError(`id ${id} is used by both '${other}' and '${token}'`, { file, field: token });
    }
    seen.set(id, token);
    vocab.set(token, id);
  }
  return vocab;
}

/**
 * Parses `merges.txt`: an optional `#version` first line, then one `a b` merge per line (rank =
 * line order). Blank lines are ignored. Every part and the merged symbol must be in the vocab.
 * (pytorch_transformers 1.2 drops the first line unconditionally and, when the file lacks a final
 * newline, its last merge too; files written by HF tools always end with a newline.)
 */
export function parseMerges(text: string, file: string, vocab: ReadonlyMap<string, number>): Array<[string, string]> {
  const lines = text.split(/\r?\n/);
  const merges: Array<[string, string]> = [];
  lines.forEach((line, i) => {
    if (i === 0 && line.startsWith('#version')) return;
    if (line.trim().length === 0) return;
    const parts = line.split(' ');
    if (parts.length !== 2 || parts[0] === '' || parts[1] === '') {
      throw new FormatError(`expected two symbols separated by one space, got ${JSON.stringify(line)}`, {
        file,
        line: i + 1,
      });
    }
    const [a, b] = parts as [string, string];
    for (const symbol of [a, b, a + b]) {
      if (!vocab.has(symbol)) {
        throw new FormatError(`merge symbol '${symbol}' is not in the vocabulary`, { file, line: i + 1 });
      }
    }
    merges.push([a, b]);
  });
  return merges;
}

/**
 * The `tokenizer.json` of a RoBERTa byte-level BPE tokenizer (the layout HF `tokenizers` writes
 * for roberta-base): ByteLevel pre-tokenizer without prefix space, RobertaProcessing, ByteLevel
 * decoder, the special tokens as added tokens (`<mask>` with lstrip as in RoBERTa).
 */
export function robertaTokenizerJson(
  vocab: ReadonlyMap<string, number>,
  merges: ReadonlyArray<readonly [string, string]>,
  names: SpecialTokenNames,
  vocabFile: string,
): Record<string, unknown> {
  const idOf = (token: string, field: string): number => {
    const id = vocab.get(token);
    if (id === undefined)
      throw new FormatError(`special token '${token}' is not in the vocabulary`, { file: vocabFile, field });
    return id;
  };
  const special = new Map<string, number>();
  for (const [key, token] of Object.entries(names)) {
    if (key === 'mask' && !vocab.has(token)) continue;
    special.set(token, idOf(token, `${key}_token`));
  }
  const addedTokens = [...special]
    .sort((x, y) => x[1] - y[1])
    .map(([content, id]) => ({
      id,
      content,
      single_word: false,
      lstrip: content === names.mask,
      rstrip: false,
      normalized: false,
      special: true,
    }));
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: addedTokens,
    normalizer: null,
    pre_tokenizer: { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true },
    post_processor: {
      type: 'RobertaProcessing',
      sep: [names.sep, idOf(names.sep, 'sep_token')],
      cls: [names.cls, idOf(names.cls, 'cls_token')],
      trim_offsets: true,
      add_prefix_space: false,
    },
    decoder: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: null,
      continuing_subword_prefix: '',
      end_of_word_suffix: '',
      fuse_unk: false,
      byte_fallback: false,
      vocab: Object.fromEntries(vocab),
      merges: merges.map(([a, b]) => `${a} ${b}`),
    },
  };
}
