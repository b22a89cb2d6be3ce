/** What identifies a backbone; adapters record it and refuse another one. */
export interface BackboneInfo {
  /** e.g. "roberta-large" or a local directory name */
  name: string;
  /** commit / revision of the weights when known */
  revision?: string;
  modelType: 'roberta' | 'bert';
  hiddenSize: number;
  numLayers: number;
  numHeads: number;
  vocabSize: number;
  maxPositions: number;
}
