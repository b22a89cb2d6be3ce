/** Precision, recall and F1, as fractions in [0, 1]. */
export interface PRF {
  precision: number;
  recall: number;
  f1: number;
}
