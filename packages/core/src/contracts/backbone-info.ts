/**
 * What identifies a backbone; adapters and setups record it and refuse another one. Identity is
 * the architecture (model type and sizes) and the weights' content hash; `name`, `hubId` and
 * `revision` say where it came from and are never a reason to refuse.
 */
export interface BackboneInfo {
  /**
   * A label for people: the Hub id, config.json `_name_or_path`, a name given by the caller, or the
   * directory name. Never compared.
   */
  name: string;
  /** `owner/name` when the weights came from the Hugging Face Hub (or a snapshot in its cache) */
  hubId?: string;
  /** the Hub commit of the weights, when they came from the Hub */
  revision?: string;
  /** `sha256:` + 64 hex digits of the weights file (or of a sharded checkpoint's index and shards): their identity */
  contentHash?: string;
  modelType: 'roberta' | 'bert';
  hiddenSize: number;
  numLayers: number;
  numHeads: number;
  vocabSize: number;
  maxPositions: number;
}
