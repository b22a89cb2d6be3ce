/** Slices by code point (Python `str` indexing), the unit of T-REx character offsets. */
export interface CodePointText {
  /** length in code points */
  readonly length: number;
  /** `text[start:end]` in code points, for 0 <= start <= end <= length */
  slice(start: number, end: number): string;
}

const SURROGATE = /[\uD800-\uDFFF]/;

/**
 * Wraps `text` so offsets count code points like Python. Text without surrogates (almost all of
 * T-REx) is sliced directly; otherwise the code points are materialised once.
 */
export function codePointText(text: string): CodePointText {
  if (!SURROGATE.test(text)) return { length: text.length, slice: (start, end) => text.slice(start, end) };
  const points = Array.from(text);
  return { length: points.length, slice: (start, end) => points.slice(start, end).join('') };
}
