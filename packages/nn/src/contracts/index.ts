export type { AdapterApplyOptions, AdapterStack, AdapterStackOutput } from './adapter-stack.js';
export type {
  Backbone,
  BackboneInput,
  BackboneOutput,
  EncodeOptions,
  PositionIdMode,
  SequenceData,
} from './backbone.js';
export type { Fusion } from './fusion.js';
export type { Head } from './head.js';
export type { ForwardOptions, NamedTensors } from './tensors.js';
export type { Trainable } from './trainable.js';
export { disposeBackboneOutput } from './dispose.js';
