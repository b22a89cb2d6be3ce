export type { AdapterConfig } from './adapter-config.js';
export { defaultAdapterConfig } from './adapter-config.js';
export type { BackboneInfo } from './backbone-info.js';
export type { KnowledgeAdapterModule } from './knowledge-adapter.js';
export { validateKnowledgeAdapterModule } from './validate-module.js';
export type { DataSource, EncodedExample, MetricSet, PretrainingTask, Skip } from './pretraining.js';
export { isSkip } from './pretraining.js';
export type { EncodedText, SpecialToken, TextTokenizer } from './tokenizer.js';
export { CONTRACT_VERSION, majorVersion } from './version.js';
