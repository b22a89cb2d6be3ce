import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/**
 * The source of a small ES module default-exporting a knowledge-adapter module that implements the
 * contract, declaring `contractVersion` (written out as a literal, as a published module would).
 */
export function moduleSource(contractVersion: string, name = 'fixture'): string {
  return `const encoder = {
  name: 'pairs',
  description: 'word pairs',
  featureShapes: () => ({ input_ids: [4], labels: [] }),
  parse: (record) => record.value,
  segments: () => [],
  build: () => ({ skip: 'empty' }),
};
export default {
  name: ${JSON.stringify(name)},
  contractVersion: ${JSON.stringify(contractVersion)},
  description: 'a fixture module',
  adapter: {},
  pretraining: {
    name: 'pairs',
    description: 'word-pair classification',
    encoder,
    head: (ctx) => ({ kind: 'relation-classification', hiddenSize: ctx.hiddenSize, labels: ['a'], dropout: 0.1 }),
    inputs: { selectors: {}, labels: { labels: { feature: 'labels' } } },
    metrics: {
      names: ['accuracy'],
      primary: { name: 'accuracy', higherIsBetter: true },
      create: () => ({ add() {}, result: () => ({}) }),
    },
  },
};
`;
}

/** Writes `files` (relative path → text; objects are written as JSON) under `dir`. */
export async function writeFiles(dir: string, files: Record<string, string | object>): Promise<void> {
  for (const [name, content] of Object.entries(files)) {
    const path = join(dir, name);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, typeof content === 'string' ? content : `${JSON.stringify(content, null, 2)}\n`);
  }
}

/** An installed ES-module package `name` under `<project>/node_modules`, entry `dist/index.js` through `exports`. */
export async function installPackage(
  project: string,
  name: string,
  source: string,
  pkg: Record<string, unknown> = {},
): Promise<string> {
  const dir = join(project, 'node_modules', ...name.split('/'));
  await writeFiles(dir, {
    'package.json': {
      name,
      version: '1.2.3',
      type: 'module',
      exports: { '.': { types: './dist/index.d.ts', default: './dist/index.js' }, './package.json': './package.json' },
      ...pkg,
    },
    'dist/index.js': source,
  });
  return dir;
}
