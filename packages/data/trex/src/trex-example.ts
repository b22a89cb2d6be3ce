/**
 * One relation-classification example in the official `trex-rc` format (K-Adapter
 * utils_glue.py:437-459; clean_T_REx.py:108-116). Word indices are inclusive and index `token`.
 * Fields are written in this order, the order of the official script.
 */
export interface TrexExample {
  docid: string;
  token: string[];
  relation: string;
  subj_start: number;
  subj_end: number;
  obj_start: number;
  obj_end: number;
  subj_label: string;
  obj_label: string;
}

/** The fields of a `trex-rc` example, in the official order. */
export const TREX_EXAMPLE_FIELDS = [
  'docid',
  'token',
  'relation',
  'subj_start',
  'subj_end',
  'obj_start',
  'obj_end',
  'subj_label',
  'obj_label',
] as const;
