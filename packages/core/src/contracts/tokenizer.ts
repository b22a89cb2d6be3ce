/** Token ids and offsets of one encoded text. Offsets are [start, end) in JS string units. */
export interface EncodedText {
  ids: number[];
  tokens: string[];
  offsets: Array<[number, number]>;
}

export interface SpecialToken {
  token: string;
  id: number;
}

/**
 * What data builders, encoders and the backbone need from a tokenizer. Asynchronous because the
 * native `tokenizers` binding is.
 */
export interface TextTokenizer {
  readonly vocabSize: number;
  readonly special: { bos: SpecialToken; eos: SpecialToken; pad: SpecialToken; unk: SpecialToken };
  /** id of a vocabulary entry; throws an InputError naming the token when absent */
  tokenToId(token: string): number;
  idToToken(id: number): string | undefined;
  /**
   * Tokenise each segment separately the way the official (pytorch_transformers 1.2) code did:
   * `bpe(' ' + segment.strip())` with Python's `str.strip()` (special tokens such as `</s>` split out
   * first and kept whole), so every non-blank segment starts with a `Ġ`-prefixed token;
   * an empty or blank segment gives no tokens. No special tokens are added.
   */
  tokenizeSegments(segments: readonly string[]): Promise<string[][]>;
  /** Modern encoding of whole texts with offsets (special tokens added unless disabled). */
  encode(texts: readonly string[], options?: { addSpecialTokens?: boolean }): Promise<EncodedText[]>;
}
