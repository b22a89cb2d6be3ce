export type { AddFusionConfig } from './add.js';
export { addFusion } from './add.js';
export type { AttentionFusionConfig } from './attention.js';
export { attentionFusion } from './attention.js';
export type { ConcatFusionConfig } from './concat.js';
export { concatFusion } from './concat.js';
export { FusionModule } from './fusion-module.js';
export type { AnyFusionKind, FusionConfigBase, FusionConfigOf, FusionKind, FusionOutputs } from './kind.js';
export { defineFusion } from './kind.js';
export {
  createFusion,
  fusionFromWeights,
  fusionKind,
  fusionKinds,
  parseFusionConfig,
  registerFusion,
} from './registry.js';
