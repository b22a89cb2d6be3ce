import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  name: string;
  version: string;
};

/**
 * Recorded in every per-file output and manifest. Bump `CLEANING_REVISION` when the output of the
 * cleaning changes for the same input, so cached per-file outputs are recomputed.
 */
const CLEANING_REVISION = 1;
export const BUILDER_VERSION = `${pkg.name}@${pkg.version}+cleaning.${CLEANING_REVISION}`;
