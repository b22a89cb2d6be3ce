/**
 * The characters Python's `str.isspace()` accepts (CPython 3.7–3.13; Unicode 11–15 agree). This is
 * not the set JavaScript's `trim()` removes: Python also strips U+001C–U+001F and U+0085 (NEL),
 * and does not strip U+FEFF (BOM), which `trim()` does.
 */
export const PY_WHITESPACE: ReadonlySet<string> = new Set([
  '\t',
  '\n',
  '\v',
  '\f',
  '\r',
  '\x1c',
  '\x1d',
  '\x1e',
  '\x1f',
  ' ',
  '\x85',
  '\xa0',
  '\u1680',
  '\u2000',
  '\u2001',
  '\u2002',
  '\u2003',
  '\u2004',
  '\u2005',
  '\u2006',
  '\u2007',
  '\u2008',
  '\u2009',
  '\u200a',
  '\u2028',
  '\u2029',
  '\u202f',
  '\u205f',
  '\u3000',
]);

/** Python's `text.strip()` with no argument. Every whitespace character is one UTF-16 unit. */
export function pyStrip(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && PY_WHITESPACE.has(text[start]!)) start++;
  while (end > start && PY_WHITESPACE.has(text[end - 1]!)) end--;
  return start === 0 && end === text.length ? text : text.slice(start, end);
}
