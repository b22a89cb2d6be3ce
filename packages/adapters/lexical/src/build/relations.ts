/**
 * The label list of the lexical task (label index = position). An example reads
 * `relation(subject, object)`, as a T-REx triple does:
 * - `hypernym`: the object is a hypernym of the subject (dog → animal),
 * - `hyponym`: the object is a hyponym of the subject (animal → dog),
 * - `synonym`: subject and object share a synset (car, automobile),
 * - `antonym`: WordNet has an antonym pointer from the subject to the object (hot, cold),
 * - `unrelated`: no sense of one is linked to any sense of the other in WordNet.
 */
export const LEXICAL_RELATIONS = ['hypernym', 'hyponym', 'synonym', 'antonym', 'unrelated'] as const;
export type LexicalRelation = (typeof LEXICAL_RELATIONS)[number];

/** The four relations WordNet states (everything but `unrelated`). */
export const RELATED = ['hypernym', 'hyponym', 'synonym', 'antonym'] as const satisfies readonly LexicalRelation[];
export type RelatedRelation = (typeof RELATED)[number];

/** A count for every relation, in label order. */
export function relationCounts(): Record<LexicalRelation, number> {
  return { hypernym: 0, hyponym: 0, synonym: 0, antonym: 0, unrelated: 0 };
}
