import type { EncodedText, SpecialToken, TextTokenizer } from '@kadapter/core';
import { FormatError, InputError } from '@kadapter/core';
import type { Tokenizer } from 'tokenizers';
import { type LegacyChunk, splitLegacy } from './legacy-split.js';
import type { SpecialTokenNames } from './special-tokens.js';

/** What `RobertaTokenizer` is built from (see `load.ts`). */
export interface RobertaTokenizerInit {
  /** the native `tokenizers` object, loaded from a RoBERTa-layout tokenizer.json */
  native: Tokenizer;
  names: SpecialTokenNames;
  /** tokens the legacy mode splits out of a text and keeps whole (special and added tokens) */
  splitTokens: readonly string[];
  /** where the tokenizer came from (a path), for messages and feature metadata */
  source: string;
  /** the file that named the special tokens, for errors */
  namesFile: string;
  /** sha256 of the tokenizer.json text that was loaded (or built from vocab.json + merges.txt) */
  fingerprint: string;
}

/** Unique texts per native `encodeBatch` call (bounds the memory of one call). */
const BATCH = 8192;

/**
 * RoBERTa byte-level BPE tokenizer on the native HF `tokenizers` binding. Token → id lookups use
 * a JS copy of the vocabulary (no native call per token).
 */
export class RobertaTokenizer implements TextTokenizer {
  readonly vocabSize: number;
  readonly special: { bos: SpecialToken; eos: SpecialToken; pad: SpecialToken; unk: SpecialToken };
  readonly source: string;
  readonly fingerprint: string;
  readonly splitTokens: readonly string[];
  private readonly native: Tokenizer;
  private readonly vocab: Map<string, number>;
  private readonly tokens: string[] = [];

  constructor(init: RobertaTokenizerInit) {
    this.native = init.native;
    this.source = init.source;
    this.fingerprint = init.fingerprint;
    this.vocab = new Map(Object.entries(init.native.getVocab(true)));
    for (const [token, id] of this.vocab) this.tokens[id] = token;
    this.vocabSize = init.native.getVocabSize(true);
    const special = (key: keyof SpecialTokenNames): SpecialToken => {
      const token = init.names[key];
      const id = this.vocab.get(token);
      if (id === undefined) {
        throw new FormatError(`${key} token '${token}' is not in the vocabulary of ${init.source}`, {
          file: init.namesFile,
          field: `${key}_token`,
        });
      }
      return { token, id };
    };
    this.special = { bos: special('bos'), eos: special('eos'), pad: special('pad'), unk: special('unk') };
    // Longest first, so that a token containing another one is matched whole.
    this.splitTokens = [...new Set(init.splitTokens)].sort((a, b) => b.length - a.length);
  }

  tokenToId(token: string): number {
    const id = this.vocab.get(token);
    if (id === undefined) {
      throw new InputError(`token ${JSON.stringify(token)} is not in the vocabulary of ${this.source}`, {
        field: 'token',
      });
    }
    return id;
  }

  idToToken(id: number): string | undefined {
    return this.tokens[id];
  }

  /** Ids of many tokens; throws an InputError naming the first unknown token. */
  tokensToIds(tokens: readonly string[]): number[] {
    return tokens.map((t) => this.tokenToId(t));
  }

  /**
   * pytorch_transformers 1.2 `tokenize(segment)` for each segment: special tokens split out and
   * kept whole, every other piece stripped (Python `str.strip()`) and BPE-encoded as
   * `' ' + piece`. An empty or all-whitespace segment gives no tokens (see `splitLegacy`).
   */
  async tokenizeSegments(segments: readonly string[]): Promise<string[][]> {
    const chunked: LegacyChunk[][] = segments.map((s) => splitLegacy(s, this.splitTokens));
    const unique = new Map<string, string[]>();
    for (const chunks of chunked) for (const c of chunks) if (!c.special) unique.set(c.text, []);
    const texts = [...unique.keys()];
    for (let i = 0; i < texts.length; i += BATCH) {
      const slice = texts.slice(i, i + BATCH);
      const encodings = await this.native.encodeBatch(
        slice.map((t) => ` ${t}`),
        { addSpecialTokens: false },
      );
      // ids cross the native boundary about twice as fast as strings; every BPE output is a vocab entry
      for (const [j, e] of encodings.entries())
        unique.set(
          slice[j]!,
          e.getIds().map((id) => this.tokens[id]!),
        );
    }
    return chunked.map((chunks) => chunks.flatMap((c) => (c.special ? [c.token] : unique.get(c.text)!)));
  }

  /** Modern encoding (the tokenizer.json pipeline) with offsets in JS string units. */
  async encode(texts: readonly string[], options: { addSpecialTokens?: boolean } = {}): Promise<EncodedText[]> {
    const addSpecialTokens = options.addSpecialTokens ?? true;
    const out: EncodedText[] = [];
    for (let i = 0; i < texts.length; i += BATCH) {
      const encodings = await this.native.encodeBatch([...texts.slice(i, i + BATCH)], { addSpecialTokens });
      for (const e of encodings) {
        out.push({
          ids: e.getIds(),
          tokens: e.getTokens(),
          offsets: e.getOffsets().map((o) => [o[0]!, o[1]!] as [number, number]),
        });
      }
    }
    return out;
  }

  /** Text of ids (ByteLevel decoder). */
  async decode(ids: readonly number[], options: { skipSpecialTokens?: boolean } = {}): Promise<string> {
    return this.native.decode([...ids], options.skipSpecialTokens ?? false);
  }
}
