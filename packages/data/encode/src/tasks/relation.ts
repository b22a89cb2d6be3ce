import { intField, labelIndex, objectOf, stringArrayField, stringField } from '../fields.js';
import { NO_RELATION } from '../labels/tacred-relations.js';
import { pyListSlice } from '../py-slice.js';
import { idsAndMask } from '../sequence.js';
import type { EncodeContext, ExampleFeatures, InputRecord, Skipped, TaskEncoder } from '@kadapter/core';

/**
 * A T-REx / TACRED relation example (utils_glue.py `TREXProcessor`, examples/utils_glue.py
 * `TACREDProcessor`): words plus inclusive subject / object word spans and the relation name.
 */
export interface RelationExample {
  words: string[];
  subjStart: number;
  subjEnd: number;
  objStart: number;
  objEnd: number;
  relation: string;
}

/** Subject marker and object marker: raw BPE symbols, inserted without the `Ġ` prefix. */
export const SUBJ_MARKER = '@';
export const OBJ_MARKER = '#';

/** Checks one T-REx / TACRED record's fields and types (the relation is checked against a list later). */
export function parseRelation(record: InputRecord): RelationExample {
  const obj = objectOf(record);
  return {
    words: stringArrayField(record, obj, 'token'),
    subjStart: intField(record, obj, 'subj_start'),
    subjEnd: intField(record, obj, 'subj_end'),
    objStart: intField(record, obj, 'obj_start'),
    objEnd: intField(record, obj, 'obj_end'),
    relation: stringField(record, obj, 'relation'),
  };
}

function relationShapes(ctx: EncodeContext): Record<string, number[]> {
  const L = ctx.maxLen;
  return { input_ids: [L], attention_mask: [L], subj_marker: [], obj_marker: [], labels: [] };
}

function subjectFirst(ex: RelationExample): boolean {
  return ex.subjStart < ex.objStart;
}

/**
 * The five word spans the official code tokenises one by one (Python slices, `' '.join`): before
 * the first entity, the first entity, between, the second entity, after. The entity that starts
 * first (subject when `subj_start < obj_start`, else object) comes first.
 */
function relationSegments(ex: RelationExample): string[] {
  const w = ex.words;
  const [s1, e1, s2, e2] = subjectFirst(ex)
    ? [ex.subjStart, ex.subjEnd, ex.objStart, ex.objEnd]
    : [ex.objStart, ex.objEnd, ex.subjStart, ex.subjEnd];
  return [
    pyListSlice(w, null, s1),
    pyListSlice(w, s1, e1 + 1),
    pyListSlice(w, e1 + 1, s2),
    pyListSlice(w, s2, e2 + 1),
    pyListSlice(w, e2 + 1, null),
  ].map((span) => span.join(' '));
}

/**
 * `<s> before M1 first M1 between M2 second M2 after </s>` with the body truncated from the end
 * to L-2 tokens, and the marker positions counted before truncation, +1 for `<s>`
 * (convert_examples_to_features_trex / _tacred). Markers may therefore lie beyond L.
 */
function markRelation(
  ex: RelationExample,
  tokens: string[][],
  ctx: EncodeContext,
): { tokens: string[]; subj: number; obj: number } {
  const [t0, t1, t2, t3, t4] = tokens as [string[], string[], string[], string[], string[]];
  const subjFirst = subjectFirst(ex);
  const [m1, m2] = subjFirst ? [SUBJ_MARKER, OBJ_MARKER] : [OBJ_MARKER, SUBJ_MARKER];
  const body = [...t0, m1, ...t1, m1, ...t2];
  const first = t0.length;
  const second = body.length;
  body.push(m2, ...t3, m2, ...t4);
  body.length = Math.min(body.length, ctx.maxLen - 2);
  const { bos, eos } = ctx.tokenizer.special;
  return {
    tokens: [bos.token, ...body, eos.token],
    subj: (subjFirst ? first : second) + 1,
    obj: (subjFirst ? second : first) + 1,
  };
}

function relationFeatures(
  ctx: EncodeContext,
  tokens: readonly string[],
  subj: number,
  obj: number,
  label: number,
): ExampleFeatures {
  const { ids, mask } = idsAndMask(ctx.tokenizer, tokens, ctx.maxLen, ctx.tokenizer.special.pad.id);
  return { input_ids: ids, attention_mask: mask, subj_marker: [subj], obj_marker: [obj], labels: [label] };
}

/**
 * The official training-set negative sampling (`--negative_sample N`, both processors): a counter
 * starts at N and is decremented before the test for every `no_relation` example, so only the
 * first N-1 of them (file order) are kept. Without `negativeSample` nothing is dropped (dev/test).
 */
function negativeSampler(ctx: EncodeContext): (ex: RelationExample) => string | undefined {
  const n = ctx.options.negativeSample;
  if (n === undefined) return () => undefined;
  let remaining = n;
  return (ex) => {
    if (ex.relation !== NO_RELATION) return undefined;
    remaining -= 1;
    return remaining > 0 ? undefined : 'negative_sample_limit';
  };
}

/** Marker positions after `<s>` (before any policy), which may lie at or past L. */
export interface Markers {
  subj: number;
  obj: number;
}

/**
 * What a task does with markers at or past L: keep them (possibly moved, with notes) or skip.
 */
export type MarkerPolicy = (
  markers: Markers,
  ctx: EncodeContext,
  record: InputRecord,
) => (Markers & { notes?: string[] }) | Skipped;

/**
 * A relation-classification encoder in the T-REx / TACRED scheme: official format and markers,
 * training-set negative sampling, labels from `officialLabels` unless `labels` is given (an
 * unknown relation is a DataError, the official code raises KeyError), markers placed by `policy`.
 */
export function relationEncoder(
  name: string,
  description: string,
  officialLabels: readonly string[],
  policy: MarkerPolicy,
): TaskEncoder<RelationExample> {
  const labelsOf = (ctx: EncodeContext) => ctx.options.labels ?? officialLabels;
  return {
    name,
    description,
    featureShapes: relationShapes,
    labelNames: labelsOf,
    parse: parseRelation,
    select: negativeSampler,
    segments: relationSegments,
    build(ex, tokens, ctx, record) {
      const label = labelIndex(record, labelsOf(ctx), ex.relation, 'relation');
      const marked = markRelation(ex, tokens, ctx);
      const placed = policy(marked, ctx, record);
      if ('skip' in placed) return placed;
      const features = relationFeatures(ctx, marked.tokens, placed.subj, placed.obj, label);
      return placed.notes ? { features, notes: placed.notes } : { features };
    },
  };
}
