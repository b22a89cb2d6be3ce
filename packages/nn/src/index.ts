export { additiveMask, dropout, gelu } from './activations.js';
export type { AttentionOptions, AttentionParams, AttentionResult } from './attention.js';
export { selfAttention } from './attention.js';
export type { BertLayerOptions, BertLayerParams } from './bert-layer.js';
export { bertLayer } from './bert-layer.js';
export { embedding } from './embedding.js';
export {
  normalLinear,
  seedSequence,
  torchDefaultAttention,
  torchDefaultBertLayer,
  torchDefaultLinear,
  unitLayerNorm,
} from './init.js';
export type { LayerNormParams } from './layer-norm.js';
export { layerNorm } from './layer-norm.js';
export type { LinearParams } from './linear.js';
export { linear } from './linear.js';
export type { LinearDims } from './linears-def.js';
export { linearsDef } from './linears-def.js';
export { ParamModule } from './param-module.js';
export type { ParamDef, ParamSetOptions } from './param-set.js';
export { ParamSet } from './param-set.js';
export type { ParamTree } from './params.js';
export { disposeTree, toVariables, treeTensors, treeVariables } from './params.js';
export { VariableNamer } from './variable-namer.js';
export type { Shaped, WeightSpec } from './weights.js';
export {
  attentionSpec,
  bertLayerSpec,
  linearSpec,
  TorchWeightReader,
  TorchWeightWriter,
  verifyWeights,
} from './weights.js';
export * from './contracts/index.js';
