/** A syntactic word of a CoNLL-U sentence (a line with an integer ID). */
export interface ConlluWord {
  /** 1-based ID */
  id: number;
  form: string;
  /** LEMMA column (`_` when the treebank gives none) */
  lemma: string;
  /** UPOS column, the universal part-of-speech tag (`NOUN`, `VERB`, ...; `_` when none) */
  upos: string;
  /** 1-based head ID, 0 = root */
  head: number;
  deprel: string;
  /** false when MISC has `SpaceAfter=No` */
  spaceAfter: boolean;
  /** line number in the file */
  line: number;
}

/** A multiword token (`n-m` line): one surface token covering words n..m. */
export interface ConlluMultiwordToken {
  start: number;
  end: number;
  form: string;
  spaceAfter: boolean;
  line: number;
}

/** One sentence: its basic tree plus what the tree leaves out. */
export interface ConlluSentence {
  /** `# sent_id = …`, when present */
  sentId?: string;
  /** `# text = …`, when present */
  text?: string;
  words: ConlluWord[];
  multiwordTokens: ConlluMultiwordToken[];
  /** empty nodes (`n.k` lines), skipped: they are not part of the basic tree */
  emptyNodes: number;
  /** line number of the sentence's first line */
  line: number;
}

/** A dependency arc of the basic tree: word `dependent` depends on `head` (0 = root) by `relation`. */
export interface DependencyTriple {
  dependent: number;
  relation: string;
  head: number;
}

/** The (dependent, relation, head) triples of a sentence, in word order. */
export function dependencyTriples(sentence: ConlluSentence): DependencyTriple[] {
  return sentence.words.map((w) => ({ dependent: w.id, relation: w.deprel, head: w.head }));
}
