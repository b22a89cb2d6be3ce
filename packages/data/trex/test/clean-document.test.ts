import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { cleanTrexDocument, type CleanedDocument, type RecordProblem, type TrexExample } from '../src/index.js';
import { CLEAN_FIXTURE, readJson, SAMPLE } from './helpers.js';

interface Counts {
  triples_seen: number;
  kept: number;
  dropped: Record<string, number>;
  per_document: Record<string, { seen: number; kept: number; dropped: number }>;
  per_annotator: Record<string, { seen: number; kept: number }>;
}

const cleaned = (r: CleanedDocument | RecordProblem) => {
  if ('message' in r) throw new Error(`unexpected problem ${r.field}: ${r.message}`);
  return r;
};

/** A small synthetic document: "Paris is in France ." with word and sentence boundaries. */
const PARIS_WORDS = [
  [0, 5],
  [6, 8],
  [9, 11],
  [12, 18],
  [19, 20],
];

function doc(overrides: Record<string, unknown> = {}, triple: Record<string, unknown> = {}) {
  return {
    docid: 'http://www.wikidata.org/entity/Q90',
    text: 'Paris is in France .',
    sentences_boundaries: [[0, 20]],
    words_boundaries: PARIS_WORDS,
    triples: [
      {
        sentence_id: 0,
        subject: { uri: 'http://www.wikidata.org/entity/Q90', boundaries: [0, 5] },
        predicate: { uri: 'http://www.wikidata.org/prop/direct/P17', boundaries: null },
        object: { uri: 'http://www.wikidata.org/entity/Q142', boundaries: [12, 18] },
        ...triple,
      },
    ],
    ...overrides,
  };
}

/** The text 'AB CD EF' as one sentence with the given word boundaries and entity spans. */
function abcdef(words: number[][], subject: number[], object: number[]) {
  return doc(
    { text: 'AB CD EF', sentences_boundaries: [[0, 8]], words_boundaries: words },
    { subject: { uri: 'x/S', boundaries: subject }, object: { uri: 'x/O', boundaries: object } },
  );
}

describe('cleanTrexDocument on the real T-REx sample', () => {
  let docs: unknown[];
  let expected: TrexExample[];
  let counts: Counts;
  beforeAll(async () => {
    docs = await readJson<unknown[]>(SAMPLE);
    expected = await readJson<TrexExample[]>(CLEAN_FIXTURE('cleaned.json'));
    counts = await readJson<Counts>(CLEAN_FIXTURE('counts.json'));
  });

  it('keeps exactly the examples of the official clean_T_REx.py, in order, field order included', () => {
    const out = docs.flatMap((d) => cleaned(cleanTrexDocument(d)).examples);
    expect(out).toHaveLength(99);
    expect(JSON.stringify(out)).toBe(JSON.stringify(expected));
  });

  it('counts the triples seen and dropped per reason like counts.json', () => {
    const results = docs.map((d) => cleaned(cleanTrexDocument(d)));
    expect(results.reduce((n, r) => n + r.triples, 0)).toBe(counts.triples_seen);
    const byReason: Record<string, number> = {};
    for (const r of results) for (const d of r.drops) byReason[d.reason] = (byReason[d.reason] ?? 0) + 1;
    expect(byReason).toEqual({ subject_boundaries_null: counts.dropped.subject_boundaries_null });
    expect(counts.dropped.total).toBe(13);
    const perDoc = Object.values(counts.per_document);
    expect(results.map((r) => r.examples.length)).toEqual(perDoc.map((d) => d.kept));
    expect(results.map((r) => r.drops.length)).toEqual(perDoc.map((d) => d.dropped));
  });

  it('does not modify the input document (the official script rewrites boundaries in place)', () => {
    const before = structuredClone(docs);
    for (const d of docs) cleanTrexDocument(d);
    expect(docs).toEqual(before);
  });

  it('the exact alignment keeps the same examples here (no ambiguous word boundaries in the sample)', () => {
    const out = docs.flatMap((d) => cleaned(cleanTrexDocument(d, 'exact')).examples);
    expect(out).toEqual(expected);
  });
});

describe('cleanTrexDocument on synthetic documents', () => {
  it('maps character spans to inclusive word indices and URIs to their last segment', () => {
    const r = cleaned(cleanTrexDocument(doc()));
    expect(r.examples).toEqual([
      {
        docid: 'Q90',
        token: ['Paris', 'is', 'in', 'France', '.'],
        relation: 'P17',
        subj_start: 0,
        subj_end: 0,
        obj_start: 3,
        obj_end: 3,
        subj_label: 'Q90',
        obj_label: 'Q142',
      },
    ]);
  });

  it('counts offsets in code points like Python (astral characters are one character)', () => {
    // "😀 Paris is in France ." : the emoji is 1 code point, 2 UTF-16 units
    const r = cleaned(
      cleanTrexDocument(
        doc(
          {
            text: '😀 Paris is in France .',
            sentences_boundaries: [[0, 22]],
            words_boundaries: [
              [0, 1],
              [2, 7],
              [8, 10],
              [11, 13],
              [14, 20],
              [21, 22],
            ],
          },
          {
            subject: { uri: 'x/Q90', boundaries: [2, 7] },
            object: { uri: 'x/Q142', boundaries: [14, 20] },
          },
        ),
      ),
    );
    expect(r.examples[0]?.token).toEqual(['😀', 'Paris', 'is', 'in', 'France', '.']);
    expect([r.examples[0]?.subj_start, r.examples[0]?.obj_start]).toEqual([1, 4]);
  });

  it('drops null and empty boundaries with their reasons', () => {
    const reasons = [
      [{ subject: { uri: 'a', boundaries: null } }, 'subject_boundaries_null'],
      [{ subject: { uri: 'a', boundaries: [] } }, 'subject_boundaries_empty_list'],
      [{ object: { uri: 'a', boundaries: null } }, 'object_boundaries_null'],
      [{ object: { uri: 'a', boundaries: [] } }, 'object_boundaries_empty_list'],
      [
        { subject: { uri: 'a', boundaries: null }, object: { uri: 'b', boundaries: [] } },
        'subject_and_object_boundaries_empty',
      ],
    ] as const;
    for (const [triple, reason] of reasons) {
      const r = cleaned(cleanTrexDocument(doc({}, triple)));
      expect(r.examples).toEqual([]);
      expect(r.drops).toEqual([{ triple: 0, reason }]);
    }
  });

  it('drops an entity end inside a word (not aligned: too few matches)', () => {
    const r = cleaned(cleanTrexDocument(doc({}, { object: { uri: 'x/Q142', boundaries: [12, 16] } })));
    expect(r.drops).toEqual([{ triple: 0, reason: 'not_aligned_too_few_matches' }]);
  });

  it('only matches words inside the triple sentence', () => {
    const two = doc({
      text: 'Paris is in France . Lyon too .',
      sentences_boundaries: [
        [0, 20],
        [21, 31],
      ],
      words_boundaries: [...PARIS_WORDS, [21, 25], [26, 29], [30, 31]],
    });
    (two.triples[0] as { sentence_id: number }).sentence_id = 1;
    expect(cleaned(cleanTrexDocument(two)).drops[0]?.reason).toBe('not_aligned_too_few_matches');
  });

  it('official alignment reproduces the in-place overwrite; exact alignment rejects the ambiguity', () => {
    // Two words share the boundaries [0,5] (a duplicated word boundary). Official loop, subject [0,5]:
    // j=0 matches start and end (count 2, s=[0,0]); j=1 ([0,5]) compares start 0 with s[0]=0 -> match
    // again (s[0]=1), end 5 vs s[1]=0 -> no; object [12,18] matches at j=4 (2 more). Total 5 -> dropped
    // as too many matches.
    const dup = doc({
      words_boundaries: [
        [0, 5],
        [0, 5],
        [6, 8],
        [9, 11],
        [12, 18],
        [19, 20],
      ],
    });
    expect(cleaned(cleanTrexDocument(dup)).drops[0]?.reason).toBe('not_aligned_too_many_matches');
    expect(cleaned(cleanTrexDocument(dup, 'exact')).drops[0]?.reason).toBe('not_aligned_too_many_matches');
    // Subject [0,8] ("Paris is"), object [6,8] ("is"): the official count is 4 but the subject end is
    // matched by word 1 and the object end by the same word; both are kept by the official rule.
    const shared = doc(
      {},
      { subject: { uri: 'x/Q1', boundaries: [0, 8] }, object: { uri: 'x/Q2', boundaries: [6, 8] } },
    );
    const official = cleaned(cleanTrexDocument(shared)).examples[0];
    expect([official?.subj_start, official?.subj_end, official?.obj_start, official?.obj_end]).toEqual([0, 1, 1, 1]);
  });

  it('official alignment can leave a character offset in the output (the documented hazard); exact drops it', () => {
    // Words out of order, [3,5] then [0,2]. Subject [3,9] (its end 9 matches no word), object [6,8].
    // official: j=0 [3,5]: s0 3==3 -> s0=0 (1). j=1 [0,2]: s0 now 0, 0==0 -> s0=1 (2).
    //           j=2 [6,8]: o0 6 -> 2 (3), o1 8 -> 2 (4). Four matches: kept, subj_end stays 9.
    const leak = abcdef(
      [
        [3, 5],
        [0, 2],
        [6, 8],
      ],
      [3, 9],
      [6, 8],
    );
    const o = cleaned(cleanTrexDocument(leak)).examples[0];
    expect(o?.token).toEqual(['CD', 'AB', 'EF']);
    expect([o?.subj_start, o?.subj_end, o?.obj_start, o?.obj_end]).toEqual([1, 9, 2, 2]);
    expect(cleaned(cleanTrexDocument(leak, 'exact')).drops[0]?.reason).toBe('not_aligned_too_few_matches');
    // A duplicated word [3,5] and both entities on it: j=1 matches all four ends (s=[1,1], o=[1,1]);
    // j=2 compares 3 and 5 with the rewritten 1s: no match. Exactly 4: kept by official, while
    // exact sees two words for each end.
    const twice = abcdef(
      [
        [0, 2],
        [3, 5],
        [3, 5],
      ],
      [3, 5],
      [3, 5],
    );
    const t = cleaned(cleanTrexDocument(twice)).examples[0];
    expect([t?.subj_start, t?.subj_end, t?.obj_start, t?.obj_end]).toEqual([1, 1, 1, 1]);
    expect(cleaned(cleanTrexDocument(twice, 'exact')).drops[0]?.reason).toBe('not_aligned_too_many_matches');
  });

  it('reports a document whose word boundaries point outside its text', () => {
    const r = cleanTrexDocument(
      doc({
        words_boundaries: [
          [0, 5],
          [6, 99],
        ],
      }),
    );
    expect(r).toEqual({ field: 'words_boundaries[1]', message: '[6, 99] points outside the text (20 characters)' });
  });

  it('reports malformed triples as invalid_triple with the field', () => {
    const r = cleaned(cleanTrexDocument(doc({}, { sentence_id: 3 })));
    expect(r.drops).toEqual([
      {
        triple: 0,
        reason: 'invalid_triple',
        problem: { field: 'triples[0].sentence_id', message: 'expected an index into sentences_boundaries (0..0)' },
      },
    ]);
    const bad = cleaned(cleanTrexDocument(doc({}, { subject: { uri: 'a', boundaries: [1] } })));
    expect(bad.drops[0]?.problem?.field).toBe('triples[0].subject.boundaries');
  });

  it('property: any JSON value in any field gives a result or a problem, never a throw', () => {
    const fields = ['docid', 'text', 'sentences_boundaries', 'words_boundaries', 'triples'];
    const tripleFields = ['sentence_id', 'subject', 'object', 'predicate'];
    fc.assert(
      fc.property(fc.constantFrom(...fields, ...tripleFields), fc.jsonValue(), (field, value) => {
        const d = fields.includes(field) ? doc({ [field]: value }) : doc({}, { [field]: value });
        const r = cleanTrexDocument(d);
        expect(typeof r).toBe('object');
        if (!('message' in r)) expect(r.examples.length + r.drops.length).toBe(r.triples);
      }),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(typeof cleanTrexDocument(value)).toBe('object');
      }),
      { numRuns: 200 },
    );
  });
});
