export { additiveMask, dropout, gelu } from './blocks/activations.js';
export type { AttentionOptions, AttentionParams, AttentionResult } from './blocks/attention.js';
export { attentionDef, selfAttention } from './blocks/attention.js';
export type { BertLayerOptions, BertLayerParams } from './blocks/bert-layer.js';
export { bertLayer, bertLayerDef } from './blocks/bert-layer.js';
export type { LayerNormParams } from './blocks/layer-norm.js';
export { layerNorm } from './blocks/layer-norm.js';
export type { LinearParams } from './blocks/linear.js';
export { linear } from './blocks/linear.js';
export * from './contracts/index.js';
export type { Operand, Ops } from './ops/ops.js';
export { tfOps } from './ops/tf-ops.js';
export type { EmbeddingDef, LayerNormDef, LinearDef, LinearInit } from './params/combinators.js';
export {
  embedding as embeddingDef,
  init,
  layerNorm as layerNormDef,
  linear as linearDef,
  list,
  normalLinear as normalLinearDef,
  prefixed,
  record,
  tensor,
} from './params/combinators.js';
export type { Def, Init, ListDef, Params, PrefixedDef, RecordDef, TensorDef } from './params/def.js';
export type { Random } from './params/init.js';
export { randomStream } from './params/init.js';
export { ParamModule } from './params/param-module.js';
export type { CreateParamsOptions, ParamSetOptions, ReadParamsOptions, TensorSource } from './params/param-set.js';
export { ParamSet } from './params/param-set.js';
export type { Shaped, WeightSpec } from './params/verify.js';
export { verifyWeights, weightSpec } from './params/verify.js';
export type { Leaf } from './params/walk.js';
export { leaves } from './params/walk.js';
