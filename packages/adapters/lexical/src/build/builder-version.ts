import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  name: string;
  version: string;
};

/**
 * Recorded in every manifest. Bump `RULES_REVISION` when the same inputs and options would give
 * other examples (matching, labelling, sampling or splitting rules changed).
 */
const RULES_REVISION = 1;
export const LEXICAL_BUILDER_VERSION = `${pkg.name}@${pkg.version}+rules.${RULES_REVISION}`;
