import { OPENENTITY_TYPES } from '@kadapter/data-encode';

/** OpenEntity's 9 types in the official order (examples/utils_glue.py:160). */
export const OPENENTITY_LABELS = [...OPENENTITY_TYPES];

export const H = 64;
