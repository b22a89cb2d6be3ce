export type { BackboneRef, CompatibilityOptions } from './backbone-ref.js';
export { backboneRef, checkBackbone } from './backbone-ref.js';
export { resolveAdapterConfig, validateAdapterConfig } from './config.js';
export type { CreateStackOptions, StackOptions } from './stack.js';
export { KAdapterStack } from './stack.js';
export type { AdapterLayerParams, InferredAdapterSizes } from './weights.js';
export { adapterWeightSpec, inferAdapterSizes } from './weights.js';
