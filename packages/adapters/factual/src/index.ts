export type { FactualModuleOptions } from './factual.js';
export { createFactualModule, factual as default } from './factual.js';
export type { RelationLabels } from './relation-labels.js';
