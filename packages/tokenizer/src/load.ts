import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { FormatError, NotFoundError } from '@kadapter/core';
import { isJsonObject, parseJson, readJsonFile, readTextFile } from '@kadapter/files';
import { Tokenizer } from 'tokenizers';
import { RobertaTokenizer } from './roberta-tokenizer.js';
import {
  ROBERTA_SPECIAL_TOKENS,
  type SpecialTokenNames,
  specialTokenList,
  specialTokenNames,
} from './special-tokens.js';
import { parseMerges, parseVocab, robertaTokenizerJson } from './vocab-merges.js';

export interface LoadOptions {
  /**
   * File naming the special tokens (`special_tokens_map.json` or `tokenizer_config.json` layout).
   * Default: `special_tokens_map.json`, else `tokenizer_config.json`, beside the tokenizer files;
   * else RoBERTa's names (`<s>`, `</s>`, `<unk>`, `<pad>`, `<mask>`).
   */
  specialTokensFile?: string;
}

/**
 * Loads a RoBERTa tokenizer from a directory (its `tokenizer.json`, else `vocab.json` +
 * `merges.txt`) or from a `tokenizer.json` file.
 */
export async function loadTokenizer(path: string, options: LoadOptions = {}): Promise<RobertaTokenizer> {
  const info = await stat(path).catch((err: NodeJS.ErrnoException) => {
    throw new NotFoundError(`tokenizer path does not exist (${err.code ?? 'error'})`, { file: path, cause: err });
  });
  if (!info.isDirectory()) return loadTokenizerJson(path, options);
  const candidate = join(path, 'tokenizer.json');
  if (await exists(candidate)) return loadTokenizerJson(candidate, options);
  const vocab = join(path, 'vocab.json');
  const merges = join(path, 'merges.txt');
  if ((await exists(vocab)) && (await exists(merges))) return loadVocabMerges(vocab, merges, options);
  throw new NotFoundError('directory has neither tokenizer.json nor vocab.json + merges.txt', { file: path });
}

/** Loads an HF `tokenizer.json` of a byte-level BPE (RoBERTa-style) tokenizer. */
export async function loadTokenizerJson(file: string, options: LoadOptions = {}): Promise<RobertaTokenizer> {
  const text = await readTextFile(file);
  const json = parseJson(text, file);
  if (!isJsonObject(json) || !isJsonObject(json.model)) {
    throw new FormatError('expected a tokenizer.json object with a "model"', { file });
  }
  const pre = json.pre_tokenizer;
  if (json.model.type !== 'BPE' || !isJsonObject(pre) || !isByteLevel(pre)) {
    throw new FormatError('not a byte-level BPE tokenizer (model BPE with a ByteLevel pre-tokenizer expected)', {
      file,
      field: 'model.type',
    });
  }
  const added = Array.isArray(json.added_tokens) ? json.added_tokens : [];
  const addedContents = added.flatMap((t) => (isJsonObject(t) && typeof t.content === 'string' ? [t.content] : []));
  const native = nativeFromString(text, file);
  const { names, namesFile } = await resolveNames(file, options, file);
  return new RobertaTokenizer({
    native,
    names,
    namesFile,
    splitTokens: [...addedContents, ...presentSpecials(names, native)],
    source: file,
    fingerprint: sha256(text),
  });
}

/** Builds the RoBERTa tokenizer.json layout from `vocab.json` + `merges.txt` and loads it. */
export async function loadVocabMerges(
  vocabFile: string,
  mergesFile: string,
  options: LoadOptions = {},
): Promise<RobertaTokenizer> {
  const vocab = parseVocab(await readTextFile(vocabFile), vocabFile);
  const merges = parseMerges(await readTextFile(mergesFile), mergesFile, vocab);
  const { names, namesFile } = await resolveNames(vocabFile, options, vocabFile);
  const text = JSON.stringify(robertaTokenizerJson(vocab, merges, names, vocabFile));
  const native = nativeFromString(text, vocabFile);
  return new RobertaTokenizer({
    native,
    names,
    namesFile,
    splitTokens: presentSpecials(names, native),
    source: `${vocabFile} + ${mergesFile}`,
    fingerprint: sha256(text),
  });
}

function isByteLevel(pre: Record<string, unknown>): boolean {
  if (pre.type === 'ByteLevel') return true;
  return (
    pre.type === 'Sequence' &&
    Array.isArray(pre.pretokenizers) &&
    pre.pretokenizers.some((p) => isJsonObject(p) && p.type === 'ByteLevel')
  );
}

function nativeFromString(text: string, file: string): Tokenizer {
  try {
    return Tokenizer.fromString(text);
  } catch (err) {
    throw new FormatError(`the tokenizers library rejected it: ${(err as Error).message}`, { file, cause: err });
  }
}

/** Special tokens that are in the vocabulary (a vocab may lack `<mask>`). */
function presentSpecials(names: SpecialTokenNames, native: Tokenizer): string[] {
  return specialTokenList(names).filter((t) => native.tokenToId(t) !== null && native.tokenToId(t) !== undefined);
}

async function resolveNames(
  beside: string,
  options: LoadOptions,
  fallbackFile: string,
): Promise<{ names: SpecialTokenNames; namesFile: string }> {
  const candidates = options.specialTokensFile
    ? [options.specialTokensFile]
    : [join(dirname(beside), 'special_tokens_map.json'), join(dirname(beside), 'tokenizer_config.json')];
  for (const file of candidates) {
    if (options.specialTokensFile || (await exists(file))) {
      return { names: specialTokenNames(await readJsonFile(file), file), namesFile: file };
    }
  }
  return { names: { ...ROBERTA_SPECIAL_TOKENS }, namesFile: fallbackFile };
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
