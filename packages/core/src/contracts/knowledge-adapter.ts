import type { AdapterConfig } from './adapter-config.js';
import type { PretrainingTask } from './pretraining.js';

/**
 * What a knowledge-adapter package default-exports. The library resolves it by package name or
 * path; nothing in the library lists the known kinds.
 */
export interface KnowledgeAdapterModule<Ex = unknown> {
  /** "factual", "linguistic", "lexical", ... */
  name: string;
  /** the contract version this module was written against (CONTRACT_VERSION) */
  version: string;
  defaultConfig: AdapterConfig;
  pretraining: PretrainingTask<Ex>;
}
