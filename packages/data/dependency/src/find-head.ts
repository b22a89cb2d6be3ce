/** `[start, end)` offsets of a word in `sent`, in code points (Python `str` indices). */
export interface CharSpan {
  start: number;
  end: number;
}

/** One arc: 1-based word indices, governor 0 = root. `relation` is extra (the official reader ignores it). */
export interface FindHeadPair {
  dependent_index: number;
  governor_index: number;
  relation?: string;
}

/**
 * One example of K-Adapter's `find_head` format (utils_glue.py:147-171): the raw sentence, the
 * i-th word's span keyed by `String(i + 1)`, and the dependency arcs.
 */
export interface FindHeadExample {
  sent: string;
  tokens: Array<Record<string, CharSpan>>;
  pairs: FindHeadPair[];
}

export interface FindHeadProblem {
  field: string;
  message: string;
}

const isInt = (v: unknown): v is number => Number.isInteger(v);

/**
 * Checks a record the way lin-adapter reads it: `sent` a string; `tokens[i]` a one-key object
 * `{ "<i+1>": { start, end } }` with 0 <= start <= end <= code-point length of `sent`; `pairs` items
 * with integer `dependent_index` in 1..n and `governor_index` in 0..n.
 */
export function checkFindHeadExample(value: unknown): FindHeadExample | FindHeadProblem {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return { field: '', message: 'expected an example object' };
  const v = value as Record<string, unknown>;
  if (typeof v.sent !== 'string') return { field: 'sent', message: 'expected a string' };
  if (!Array.isArray(v.tokens)) return { field: 'tokens', message: 'expected an array' };
  if (!Array.isArray(v.pairs)) return { field: 'pairs', message: 'expected an array' };
  const length = [...v.sent].length;
  const n = v.tokens.length;
  for (let i = 0; i < n; i++) {
    const t = v.tokens[i] as Record<string, unknown> | null;
    const span = t && typeof t === 'object' ? (t[String(i + 1)] as Record<string, unknown> | undefined) : undefined;
    if (!span || Object.keys(t as object).length !== 1)
      return { field: `tokens[${i}]`, message: `expected {"${i + 1}": {"start", "end"}}` };
    if (!isInt(span.start) || !isInt(span.end) || span.start < 0 || span.start > span.end || span.end > length)
      return { field: `tokens[${i}].${i + 1}`, message: `expected 0 <= start <= end <= ${length}` };
  }
  for (let i = 0; i < v.pairs.length; i++) {
    const p = v.pairs[i] as Record<string, unknown> | null;
    if (!p || typeof p !== 'object') return { field: `pairs[${i}]`, message: 'expected an object' };
    if (!isInt(p.dependent_index) || p.dependent_index < 1 || p.dependent_index > n)
      return { field: `pairs[${i}].dependent_index`, message: `expected a word index in 1..${n}` };
    if (!isInt(p.governor_index) || p.governor_index < 0 || p.governor_index > n)
      return { field: `pairs[${i}].governor_index`, message: `expected 0 (root) or a word index in 1..${n}` };
  }
  return v as unknown as FindHeadExample;
}
