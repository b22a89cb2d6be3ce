/** A gloss cut into its definition and its quoted example sentences. */
export interface GlossParts {
  definition: string;
  examples: string[];
}

/**
 * Splits a synset's gloss: the definition is the text before the first `; "` (or nothing when the
 * gloss opens with a quote), the examples are the double-quoted strings after it.
 * `draw air into, and expel out of, the lungs; "I can breathe better"` →
 * `{ definition: 'draw air into, and expel out of, the lungs', examples: ['I can breathe better'] }`.
 */
export function splitGloss(gloss: string): GlossParts {
  const text = gloss.trim();
  const cut = text.startsWith('"') ? 0 : text.indexOf('; "');
  const definition = (cut < 0 ? text : text.slice(0, cut)).trim();
  const rest = cut < 0 ? '' : text.slice(cut);
  const examples = [...rest.matchAll(/"([^"]*)"/g)].map((m) => (m[1] as string).trim()).filter((e) => e !== '');
  return { definition, examples };
}
