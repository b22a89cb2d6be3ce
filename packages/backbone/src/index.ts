export type { BackboneConfig } from './config.js';
export { maxSequenceLength, parseBackboneConfig } from './config.js';
export type { BackboneParams, TransformerBackboneOptions } from './encoder.js';
export { TransformerBackbone } from './encoder.js';
export type { LoadBackboneOptions } from './load.js';
export { loadBackbone } from './load.js';
export type { PositionIdMode } from './positions.js';
export { POSITION_ID_MODES } from './positions.js';
export { backboneSpec } from './spec.js';
