import { WeightsError } from '@kadapter/core';

/**
 * Prefixes a backbone's tensor names may carry: Hugging Face `RobertaModel`/`RobertaFor*`
 * (`roberta.`), `BertModel`/`BertFor*` (`bert.`), K-Adapter's saved fine-tuned backbone
 * (`model.`, kadapter-spec.md §6), or a bare `RobertaModel.state_dict()` (none).
 */
export const WEIGHT_PREFIXES = ['', 'roberta.', 'bert.', 'model.'] as const;

const ANCHOR = 'embeddings.word_embeddings.weight';

/**
 * Tensors that sit beside the encoder in common checkpoints and are deliberately not loaded:
 * the pooler (unused by K-Adapter), the RoBERTa LM head (`lm_head.*`), BERT's pre-training heads
 * (`cls.*`) and the `embeddings.position_ids` buffer some transformers versions save.
 */
export function isIgnoredWeight(canonical: string): boolean {
  return (
    canonical.startsWith('pooler.') ||
    canonical.startsWith('lm_head.') ||
    canonical.startsWith('cls.') ||
    canonical === 'embeddings.position_ids' ||
    canonical === 'embeddings.token_type_ids'
  );
}

/**
 * Maps stored tensor names to prefix-free names (`embeddings.*`, `encoder.layer.N.*`). The prefix
 * is the one in front of `embeddings.word_embeddings.weight`; names outside it keep their name
 * (so `lm_head.*` stays recognisable, and anything else is reported as unexpected later).
 */
export function canonicalNames(names: Iterable<string>, file: string): Map<string, string> {
  const all = [...names];
  const prefix = WEIGHT_PREFIXES.find((p) => all.includes(`${p}${ANCHOR}`));
  if (prefix === undefined) {
    const tried = WEIGHT_PREFIXES.map((p) => `'${p}${ANCHOR}'`).join(', ');
    throw new WeightsError(`no word embeddings found (looked for ${tried})`, [ANCHOR], [], {
      file,
      tensor: ANCHOR,
    });
  }
  const out = new Map<string, string>();
  for (const name of all) {
    const canonical = prefix !== '' && name.startsWith(prefix) ? name.slice(prefix.length) : name;
    out.set(canonical, name);
  }
  return out;
}
