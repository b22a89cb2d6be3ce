import { additiveMask, bertLayer, dropout, type ForwardOptions, layerNorm, type Ops, type Params } from '@kadapter/nn';
import type { BackboneDef } from './spec.js';

/** Encoder inputs, checked and prepared (see `prepareInput`). */
export interface EncoderInputs<T> {
  /** int32 [B, L] */
  inputIds: T;
  /** int32 [B, L] */
  positionIds: T;
  /** int32 [B, L] */
  tokenTypeIds: T;
  /** float32 [B, L], 1 = token, 0 = padding */
  mask: T;
}

export interface EncoderOptions extends ForwardOptions {
  /** rows of the word and position tables that get no gradient (torch's `padding_idx`), if any */
  paddingIdx?: { word?: number; position?: number };
  heads: number;
  layerNormEps: number;
  /** hidden and attention dropout while training */
  dropout: number;
  /** whether hidden state k (0 = embeddings) is returned; the others are released as soon as possible */
  keep: (k: number) => boolean;
}

export interface EncoderStates<T> {
  /** entry k: embedding output (k = 0) or output of layer k, where `keep(k)` */
  hiddenStates: Array<T | undefined>;
  /** output of the last layer */
  last: T;
}

/**
 * The post-LN RoBERTa/BERT encoder (pytorch_transformers 1.2 `BertModel` without the pooler):
 * embeddings = LayerNorm(word + position + token type), then the BERT layers with the additive
 * padding mask (1 - mask)·-10000.
 */
export function encoderForward<T>(
  o: Ops<T>,
  p: Params<BackboneDef, T>,
  x: EncoderInputs<T>,
  c: EncoderOptions,
): EncoderStates<T> {
  const mask = o.scope(() => additiveMask(o, x.mask));
  let h = o.scope(() => {
    const e = p.embeddings;
    const sum = o.add(
      o.add(
        o.gather(e.word_embeddings.weight, x.inputIds, c.paddingIdx?.word),
        o.gather(e.position_embeddings.weight, x.positionIds, c.paddingIdx?.position),
      ),
      o.gather(e.token_type_embeddings.weight, x.tokenTypeIds),
    );
    return dropout(o, layerNorm(o, sum, e.LayerNorm, c.layerNormEps), c.dropout, c);
  });
  const hiddenStates: Array<T | undefined> = new Array(p.layers.length + 1).fill(undefined);
  if (c.keep(0)) hiddenStates[0] = h;
  p.layers.forEach((layer, i) => {
    const next = o.scope(() => bertLayer(o, h, layer, { ...c, mask }));
    if (!c.keep(i)) o.dispose(h);
    h = next;
    if (c.keep(i + 1)) hiddenStates[i + 1] = h;
  });
  o.dispose(mask);
  return { hiddenStates, last: h };
}
