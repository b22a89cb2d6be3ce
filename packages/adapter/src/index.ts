export type { LoadAdapterOptions, LoadedAdapter, SaveAdapterOptions } from './artifact.js';
export { loadAdapter, loadPretrainingHeadWeights, readAdapterMeta, saveAdapter } from './artifact.js';
export type { BackboneComparison, BackboneRef, CompatibilityOptions } from './backbone-ref.js';
export { backboneRef, checkBackbone, compareBackbone, stderrNotice } from './backbone-ref.js';
export { adapterCard } from './card.js';
export { adapterConfigSchema, resolveAdapterConfig, validateAdapterConfig } from './config.js';
export type { AdapterMeta, PretrainingInfo } from './meta.js';
export {
  ADAPTER_CONFIG_FILE,
  ADAPTER_HUB_FILES,
  ADAPTER_SCHEMA_VERSION,
  ADAPTER_WEIGHTS_FILE,
  adapterMetaSchema,
  backboneRefSchema,
  PRETRAINING_HEAD_FILE,
} from './meta.js';
export { KAdapterStack } from './stack.js';
export { adapterLayer, adapterStackForward } from './layer.js';
export type { AdapterLayerParams, AdapterStackDef, InferredAdapterSizes } from './weights.js';
export { adapterStackDef, adapterWeightSpec, inferAdapterSizes } from './weights.js';
export type { ImportOfficialOptions, ImportResult, OfficialTask } from './import-official.js';
export { importOfficialAdapter, OFFICIAL_TASKS } from './import-official.js';
