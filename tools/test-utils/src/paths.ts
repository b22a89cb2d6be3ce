import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Root of the monorepo (the folder with pnpm-workspace.yaml). */
export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'pnpm-workspace.yaml'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('pnpm-workspace.yaml not found above test-utils');
    dir = up;
  }
  return dir;
}

/** A path under the shared folder that sits beside the project (`../shared`). */
export function sharedPath(...parts: string[]): string {
  return resolve(repoRoot(), '..', 'shared', ...parts);
}

/** A path under `../shared/fixtures/kadapter-tiny`. */
export function tinyFixture(...parts: string[]): string {
  return sharedPath('fixtures', 'kadapter-tiny', ...parts);
}

/**
 * What the tiny fixture backbone reports about itself (`BackboneInfo` of `@kadapter/core`, from
 * `kadapter-tiny/config.json`), except its revision, which is a hash of the weights.
 */
export const TINY_BACKBONE_INFO = {
  name: 'kadapter-tiny',
  modelType: 'roberta',
  hiddenSize: 64,
  numLayers: 4,
  numHeads: 4,
  vocabSize: 534,
  maxPositions: 130,
} as const;
