/** The index of the largest value, the first one on ties (numpy `argmax`); -1 for an empty row. */
export function argmax(values: ArrayLike<number>): number {
  let best = -1;
  for (let i = 0; i < values.length; i++) if (best < 0 || (values[i] as number) > (values[best] as number)) best = i;
  return best;
}
