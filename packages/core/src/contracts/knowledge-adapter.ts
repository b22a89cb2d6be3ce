import type { AdapterConfig } from './adapter-config.js';
import type { Task } from './task.js';

/** A small sample of a module's knowledge data, shipped with it, in its task encoder's format. */
export interface KnowledgeSample {
  /** absolute paths of the training files */
  readonly train: readonly string[];
  /** absolute paths of held-out files, when the sample has them */
  readonly dev?: readonly string[];
  /** where the sample comes from and how it was made */
  readonly description: string;
  /** its license (e.g. "CC BY-SA 4.0") */
  readonly license: string;
}

/**
 * What a knowledge-adapter package default-exports. The library resolves it by package name or
 * path (`kadapter pretrain --knowledge <name|path>`); nothing in the library lists the known
 * kinds. A module that brings its own head kind (or fusion kind, or encoder) registers it when its
 * package is imported.
 */
export interface KnowledgeAdapterModule {
  /** "factual", "linguistic", "lexical", ...: the default name of adapters it pre-trains */
  readonly name: string;
  /** the contract version this module was written against (`CONTRACT_VERSION` of @kadapter/core) */
  readonly contractVersion: string;
  /** one line: what knowledge the adapter holds */
  readonly description: string;
  /**
   * Adapter defaults (the official adapter unless stated). `taps` may be left out: the official
   * 0,11,22 apply to 24-layer backbones, other depths need them given.
   */
  readonly adapter: Partial<AdapterConfig>;
  /** the pre-training task: encoder, head, how features feed it, metrics */
  readonly pretraining: Task;
  /** the bundled sample `kadapter pretrain` uses when no data is given */
  readonly sample?: KnowledgeSample;
  /** the default padded sequence length of pre-training (the official scripts use 64) */
  readonly maxLength?: number;
}
