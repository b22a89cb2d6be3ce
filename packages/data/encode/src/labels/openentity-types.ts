/**
 * OpenEntity's 9 types in the order of the multi-hot label vector of the official
 * examples/utils_glue.py `EntityTypeProcessor` (microsoft/K-Adapter @ 43651cd, line 160).
 */
export const OPENENTITY_TYPES: readonly string[] = Object.freeze([
  'entity',
  'location',
  'time',
  'organization',
  'object',
  'event',
  'place',
  'person',
  'group',
]);
