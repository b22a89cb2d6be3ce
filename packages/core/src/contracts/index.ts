export type { AdapterConfig } from './adapter-config.js';
export { defaultAdapterConfig } from './adapter-config.js';
export type { BackboneInfo } from './backbone-info.js';
export type { HostTensor } from './host-tensor.js';
export type { KnowledgeAdapterModule, KnowledgeSample } from './knowledge-adapter.js';
export type { LoadedKnowledgeModule } from './load-module.js';
export { loadKnowledgeModule } from './load-module.js';
export type { PackageInfo } from './package-entry.js';
export type { ModuleResolveOptions, ResolvedModule } from './resolve-module.js';
export { KNOWLEDGE_MODULE_PREFIX, resolveKnowledgeModule } from './resolve-module.js';
export type { InputSource, MetricAccumulator, MetricSet, Task, TaskContext, TaskInputs } from './task.js';
export type {
  EncodeContext,
  EncodeOutcome,
  EncoderOptions,
  ExampleFeatures,
  InputRecord,
  Kept,
  RecordLocation,
  Skipped,
  TaskEncoder,
} from './task-encoder.js';
export type { EncodedText, SpecialToken, TextTokenizer } from './tokenizer.js';
export { validateKnowledgeAdapterModule } from './validate-module.js';
export { CONTRACT_VERSION, majorVersion } from './version.js';
