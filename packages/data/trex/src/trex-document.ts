import { type CodePointText, codePointText } from './code-points.js';

/** `[start, end)` character (code point) offsets into the document text. */
export type Span = [number, number];

/** The fields of a raw T-REx document that the cleaning reads (../shared/data/trex/README.md). */
export interface TrexDocument {
  docid: string;
  text: string;
  sentences_boundaries: Span[];
  words_boundaries: Span[];
  triples: unknown[];
}

/** A T-REx triple after its structure was checked. */
export interface TrexTriple {
  sentence_id: number;
  subject: { uri: string; boundaries: number[] | null };
  predicate: { uri: string };
  object: { uri: string; boundaries: number[] | null };
}

/** What is wrong with a record: the JSON path of the field and a sentence saying why. */
export interface RecordProblem {
  field: string;
  message: string;
}

/** A document that passed `checkTrexDocument`, with its text indexed by code point. */
export interface CheckedDocument {
  doc: TrexDocument;
  text: CodePointText;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function checkSpans(value: unknown, field: string, length: number): RecordProblem | undefined {
  if (!Array.isArray(value)) return { field, message: 'expected an array of [start, end] pairs' };
  for (let i = 0; i < value.length; i++) {
    const span = value[i];
    if (!Array.isArray(span) || span.length !== 2 || !Number.isInteger(span[0]) || !Number.isInteger(span[1]))
      return { field: `${field}[${i}]`, message: 'expected a [start, end] pair of integers' };
    if (span[0] < 0 || span[0] > span[1] || span[1] > length)
      return {
        field: `${field}[${i}]`,
        message: `[${span[0]}, ${span[1]}] points outside the text (${length} characters)`,
      };
  }
  return undefined;
}

/**
 * Checks the document-level structure: `docid` and `text` strings, sentence and word boundaries
 * inside the text, a `triples` array. A document failing this is skipped as a whole.
 */
export function checkTrexDocument(value: unknown): CheckedDocument | RecordProblem {
  if (!isObject(value)) return { field: '', message: 'expected a document object' };
  if (typeof value.docid !== 'string') return { field: 'docid', message: 'expected a string' };
  if (typeof value.text !== 'string') return { field: 'text', message: 'expected a string' };
  const text = codePointText(value.text);
  const problem =
    checkSpans(value.sentences_boundaries, 'sentences_boundaries', text.length) ??
    checkSpans(value.words_boundaries, 'words_boundaries', text.length);
  if (problem) return problem;
  if (!Array.isArray(value.triples)) return { field: 'triples', message: 'expected an array' };
  return { doc: value as unknown as TrexDocument, text };
}

function checkEntity(value: unknown, field: string, withBoundaries: boolean): RecordProblem | undefined {
  if (!isObject(value)) return { field, message: 'expected an object' };
  if (typeof value.uri !== 'string') return { field: `${field}.uri`, message: 'expected a string' };
  if (!withBoundaries) return undefined;
  const b = value.boundaries;
  if (b === null || b === undefined || (Array.isArray(b) && b.length === 0)) return undefined;
  if (!Array.isArray(b) || b.length !== 2 || !Number.isInteger(b[0]) || !Number.isInteger(b[1]))
    return { field: `${field}.boundaries`, message: 'expected null or a [start, end] pair of integers' };
  return undefined;
}

/** Checks one triple of a checked document; `field` prefixes the paths it reports. */
export function checkTrexTriple(value: unknown, sentences: number, field: string): TrexTriple | RecordProblem {
  if (!isObject(value)) return { field, message: 'expected a triple object' };
  const sid = value.sentence_id;
  if (!Number.isInteger(sid) || (sid as number) < 0 || (sid as number) >= sentences)
    return {
      field: `${field}.sentence_id`,
      message: `expected an index into sentences_boundaries (0..${sentences - 1})`,
    };
  const problem =
    checkEntity(value.subject, `${field}.subject`, true) ??
    checkEntity(value.object, `${field}.object`, true) ??
    checkEntity(value.predicate, `${field}.predicate`, false);
  if (problem) return problem;
  return value as unknown as TrexTriple;
}

/** True when `v` is a problem report rather than a checked record. */
export function isProblem(v: object): v is RecordProblem {
  return 'message' in v && 'field' in v;
}
