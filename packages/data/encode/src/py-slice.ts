/**
 * Python slice bounds `seq[start:end]` for a sequence of length n: negative indices count from the
 * end, out-of-range ones are clamped, `null` means "from the start" / "to the end".
 */
export function pySliceBounds(n: number, start: number | null, end: number | null): [number, number] {
  const clamp = (i: number | null, dflt: number): number => {
    if (i === null) return dflt;
    const j = i < 0 ? i + n : i;
    return Math.min(Math.max(j, 0), n);
  };
  const s = clamp(start, 0);
  const e = clamp(end, n);
  return [s, Math.max(s, e)];
}

/** Python `list[start:end]`. */
export function pyListSlice<T>(list: readonly T[], start: number | null, end: number | null): T[] {
  const [s, e] = pySliceBounds(list.length, start, end);
  return list.slice(s, e);
}

const SURROGATE = /[\uD800-\uDFFF]/;

/** Python `str[start:end]`: indices count Unicode code points, not UTF-16 units as in JS. */
export function pyStrSlice(text: string, start: number | null, end: number | null): string {
  if (!SURROGATE.test(text)) {
    const [s, e] = pySliceBounds(text.length, start, end);
    return text.slice(s, e);
  }
  const points = Array.from(text);
  const [s, e] = pySliceBounds(points.length, start, end);
  return points.slice(s, e).join('');
}
