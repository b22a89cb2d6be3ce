export { AddFusion } from './add.js';
export { AttentionFusion } from './attention.js';
export { ConcatFusion } from './concat.js';
export type { AddFusionConfig, AttentionFusionConfig, ConcatFusionConfig, FusionConfig } from './config.js';
export { validateFusionConfig } from './config.js';
export type { SavableFusion } from './factory.js';
export { createFusion, fusionFromWeights } from './factory.js';
