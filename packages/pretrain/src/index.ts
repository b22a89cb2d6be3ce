export type { EncodedData } from './data.js';
export { encodeData } from './data.js';
export type { PretrainOptions, PretrainResult, PretrainSettings } from './pretrain.js';
export { PRETRAIN_DEFAULTS, pretrain } from './pretrain.js';
