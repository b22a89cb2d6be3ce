export type { EncodeRunOptions } from './encode.js';
export { encodeRecords, MIN_MAX_LEN } from './encode.js';
export type { EncodedFile, EncodeFileOptions } from './encode-file.js';
export { encodeFile } from './encode-file.js';
export type { FeatureMetadata, TokenizerInfo } from './feature-file.js';
export { readFeatures, writeFeatures } from './feature-file.js';
export type { FeatureSet, Int32Tensor } from './features.js';
export { collectFeatures } from './features.js';
export {
  arrayField,
  labelIndex,
  objectOf,
  recordError,
  stringArrayField,
  stringField,
} from './fields.js';
export { figerLabelsFromTrain } from './labels/figer-labels.js';
export { readLabelList } from './labels/label-file.js';
export { OPENENTITY_TYPES } from './labels/openentity-types.js';
export { NO_RELATION, TACRED_RELATIONS } from './labels/tacred-relations.js';
export type { DatasetSplit, DatasetSplitName } from './read/dataset.js';
export { DATASET_SPLITS, openDatasetSplit, readDatasetRecords } from './read/dataset.js';
export type { InputFormat } from './read/records.js';
export { readCsv } from './read/csv.js';
export { formatOf, INPUT_FORMATS, readRecords } from './read/records.js';
export { encoderNames, getEncoder, registerEncoder } from './registry.js';
export type { CosmosQaExample } from './tasks/cosmosqa.js';
export { COSMOSQA_PAD_ID, NO_LABEL, parseCosmosQa } from './tasks/cosmosqa.js';
export type { EntityExample } from './tasks/entity-typing.js';
export { parseEntity } from './tasks/entity-typing.js';
export { IGNORE_INDEX } from './tasks/find-head.js';
export type { RelationExample } from './tasks/relation.js';
export { parseRelation } from './tasks/relation.js';
