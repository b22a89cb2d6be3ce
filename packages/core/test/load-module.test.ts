import { join } from 'node:path';
import { expectError, useTempDir } from '@kadapter/test-utils';
import { describe, expect, it } from 'vitest';
import { CONTRACT_VERSION, ContractError, loadKnowledgeModule, resolveKnowledgeModule } from '../src/index.js';
import { installPackage, moduleSource, writeFiles } from './module-fixtures.js';

const tempDir = useTempDir('kadapter-load-module-');
const good = (name = 'fixture') => moduleSource(CONTRACT_VERSION, name);

describe('loadKnowledgeModule: packages', () => {
  it('finds a bare name x as @kadapter/adapter-x in the project node_modules, through package.json exports', async () => {
    const project = await tempDir();
    const dir = await installPackage(project, '@kadapter/adapter-medical', good('medical'));
    const loaded = await loadKnowledgeModule('medical', { cwd: project });
    expect(loaded.module.name).toBe('medical');
    expect(loaded.source).toBe('@kadapter/adapter-medical');
    expect(loaded.entry).toBe(join(dir, 'dist', 'index.js'));
    expect(loaded.package).toEqual({ dir, name: '@kadapter/adapter-medical', version: '1.2.3' });
  });

  it('tries @kadapter/adapter-x before x, and takes x when the first is absent', async () => {
    const project = await tempDir();
    await installPackage(project, '@kadapter/adapter-legal', good('prefixed'));
    await installPackage(project, 'legal', good('plain'));
    await installPackage(project, 'chemistry', good('chemistry'));
    expect((await loadKnowledgeModule('legal', { cwd: project })).module.name).toBe('prefixed');
    const plain = await loadKnowledgeModule('chemistry', { cwd: project });
    expect([plain.source, plain.module.name]).toEqual(['chemistry', 'chemistry']);
  });

  it('takes a scoped name as it is, and finds packages in the node_modules of parent folders', async () => {
    const project = await tempDir();
    await installPackage(project, '@acme/adapter-medical', good('acme'));
    await writeFiles(project, { 'src/deep/.keep': '' });
    const loaded = await loadKnowledgeModule('@acme/adapter-medical', { cwd: join(project, 'src', 'deep') });
    expect([loaded.source, loaded.module.name]).toEqual(['@acme/adapter-medical', 'acme']);
  });

  it('uses "main" when there is no "exports", and index.js when there is neither', async () => {
    const project = await tempDir();
    await writeFiles(join(project, 'node_modules', 'with-main'), {
      'package.json': { name: 'with-main', type: 'module', main: 'lib/entry' },
      'lib/entry.js': good('main'),
    });
    await writeFiles(join(project, 'node_modules', 'bare-index'), {
      'package.json': { name: 'bare-index', type: 'module' },
      'index.js': good('index'),
    });
    const main = await loadKnowledgeModule('with-main', { cwd: project });
    expect([main.module.name, main.entry]).toEqual([
      'main',
      join(project, 'node_modules', 'with-main', 'lib', 'entry.js'),
    ]);
    expect((await loadKnowledgeModule('bare-index', { cwd: project })).module.name).toBe('index');
  });

  it('matches export conditions in key order: default unless a given condition comes first', async () => {
    const project = await tempDir();
    const dir = await installPackage(project, 'conditional', good('built'), {
      exports: { '.': { 'acme-source': './src/index.js', types: './dist/index.d.ts', default: './dist/index.js' } },
    });
    await writeFiles(dir, { 'src/index.js': good('source') });
    expect((await loadKnowledgeModule('conditional', { cwd: project })).module.name).toBe('built');
    const source = await loadKnowledgeModule('conditional', { cwd: project, conditions: ['acme-source'] });
    expect([source.module.name, source.entry]).toEqual(['source', join(dir, 'src', 'index.js')]);
  });

  it('also matches the conditions this Node process was started with (--conditions, -C, in NODE_OPTIONS too)', async () => {
    const project = await tempDir();
    const dir = await installPackage(project, 'conditional', good('built'), {
      exports: { '.': { 'acme-env': './src/index.js', default: './dist/index.js' } },
    });
    await writeFiles(dir, { 'src/index.js': good('source') });
    const saved = process.env.NODE_OPTIONS;
    try {
      process.env.NODE_OPTIONS = '--max-old-space-size=4096 -C acme-env';
      expect(resolveKnowledgeModule('conditional', { cwd: project }).entry).toBe(join(dir, 'src', 'index.js'));
      process.env.NODE_OPTIONS = '--conditions=acme-env';
      expect(resolveKnowledgeModule('conditional', { cwd: project }).entry).toBe(join(dir, 'src', 'index.js'));
    } finally {
      if (saved === undefined) delete process.env.NODE_OPTIONS;
      else process.env.NODE_OPTIONS = saved;
    }
    expect(resolveKnowledgeModule('conditional', { cwd: project }).entry).toBe(join(dir, 'dist', 'index.js'));
  });

  it('resolves from the given cwd, not from where @kadapter/core is installed', async () => {
    // vitest resolves from this package (it is a devDependency of core), but not from an empty project
    const project = await tempDir();
    await expectError(
      loadKnowledgeModule('vitest', { cwd: project }),
      'E_NOT_FOUND',
      `knowledge-adapter module 'vitest' not found: tried the packages @kadapter/adapter-vitest and vitest in the node_modules folders of ${project} and its parents`,
    );
  });
});

describe('loadKnowledgeModule: local paths', () => {
  it('loads a local directory through its package.json, relative to cwd', async () => {
    const project = await tempDir();
    await writeFiles(join(project, 'adapters', 'mine'), {
      'package.json': { name: 'mine', type: 'module', exports: { import: './index.mjs' } },
      'index.mjs': good('mine'),
    });
    const loaded = await loadKnowledgeModule('./adapters/mine', { cwd: project });
    expect([loaded.source, loaded.module.name, loaded.package?.name]).toEqual(['./adapters/mine', 'mine', 'mine']);
    // a path with a slash needs no ./; an absolute path works from anywhere
    expect((await loadKnowledgeModule('adapters/mine', { cwd: project })).module.name).toBe('mine');
    expect((await loadKnowledgeModule(join(project, 'adapters', 'mine'), { cwd: '/' })).module.name).toBe('mine');
  });

  it('loads a module file given by path', async () => {
    const project = await tempDir();
    await writeFiles(project, { 'my-module.mjs': good('file') });
    const loaded = await loadKnowledgeModule('./my-module.mjs', { cwd: project });
    expect([loaded.module.name, loaded.entry, loaded.package]).toEqual([
      'file',
      join(project, 'my-module.mjs'),
      undefined,
    ]);
  });

  it('does not take a bare name for a local directory, and says how to give one', async () => {
    const project = await tempDir();
    await writeFiles(join(project, 'mine'), { 'package.json': { type: 'module' }, 'index.js': good() });
    await expectError(
      loadKnowledgeModule('mine', { cwd: project }),
      'E_NOT_FOUND',
      `tried the packages @kadapter/adapter-mine and mine in the node_modules folders of ${project}`,
      `(for the directory ${join(project, 'mine')}, give a path: ./mine)`,
    );
  });
});

describe('loadKnowledgeModule: faults, each naming the module', () => {
  it('not found: a path that does not exist', async () => {
    const project = await tempDir();
    await expectError(
      loadKnowledgeModule('./nowhere', { cwd: project }),
      'E_NOT_FOUND',
      `knowledge-adapter module './nowhere' not found: ${join(project, 'nowhere')} does not exist`,
    );
  });

  it('not found: a package whose entry was not built, a directory with nothing to load', async () => {
    const project = await tempDir();
    await writeFiles(join(project, 'node_modules', '@kadapter', 'adapter-unbuilt'), {
      'package.json': {
        name: '@kadapter/adapter-unbuilt',
        type: 'module',
        exports: { '.': { default: './dist/index.js' } },
      },
    });
    await expectError(
      loadKnowledgeModule('unbuilt', { cwd: project }),
      'E_NOT_FOUND',
      'knowledge-adapter module \'@kadapter/adapter-unbuilt\': its entry ./dist/index.js ("exports") does not exist: build the package first',
      join(project, 'node_modules', '@kadapter', 'adapter-unbuilt', 'package.json'),
    );
    await writeFiles(join(project, 'empty'), { 'README.md': 'nothing here' });
    await expectError(
      loadKnowledgeModule('./empty', { cwd: project }),
      'E_NOT_FOUND',
      "knowledge-adapter module './empty': no package.json and no index.js",
    );
  });

  it('package.json exports without a root entry for these conditions', async () => {
    const project = await tempDir();
    await installPackage(project, 'require-only', good(), { exports: { '.': { require: './dist/index.cjs' } } });
    await expectError(
      loadKnowledgeModule('require-only', { cwd: project }),
      'E_CONTRACT',
      `knowledge-adapter module 'require-only': package.json "exports" has no entry for "." under the conditions node, import, default`,
    );
  });

  it('throws on import: the cause is attached and its message shown', async () => {
    const project = await tempDir();
    await installPackage(project, '@kadapter/adapter-broken', "throw new Error('no API key in the environment');\n");
    const err = await expectError(
      loadKnowledgeModule('broken', { cwd: project }),
      'E_CONTRACT',
      "knowledge-adapter module '@kadapter/adapter-broken' throws on import (",
      '): no API key in the environment',
    );
    expect((err.cause as Error).message).toBe('no API key in the environment');
  });

  it('no default export: lists what it exports', async () => {
    const project = await tempDir();
    await installPackage(project, 'named-only', 'export const lexical = {};\nexport const helper = () => 1;\n');
    await expectError(
      loadKnowledgeModule('named-only', { cwd: project }),
      'E_CONTRACT',
      "knowledge-adapter module 'named-only' has no default export (it exports helper, lexical): export the KnowledgeAdapterModule as default",
    );
  });

  it('wrong shape: the validator names what is missing', async () => {
    const project = await tempDir();
    await installPackage(
      project,
      'shapeless',
      `export default { name: 'x', contractVersion: ${JSON.stringify(CONTRACT_VERSION)}, description: 'd', adapter: {} };\n`,
    );
    await installPackage(project, 'a-function', 'export default () => ({});\n');
    const err = await expectError(
      loadKnowledgeModule('shapeless', { cwd: project }),
      'E_CONTRACT',
      "knowledge-adapter module 'shapeless' has no 'pretraining' task",
    );
    expect(err).toBeInstanceOf(ContractError);
    await expectError(
      loadKnowledgeModule('a-function', { cwd: project }),
      'E_CONTRACT',
      "knowledge-adapter module 'a-function' does not default-export an object (got function)",
    );
  });

  it('an empty spec and a malformed scoped name are configuration errors', async () => {
    await expectError(() => resolveKnowledgeModule(' '), 'E_CONFIG', 'no knowledge-adapter module given');
    await expectError(
      () => resolveKnowledgeModule('@acme/adapter/extra'),
      'E_CONFIG',
      "knowledge-adapter module '@acme/adapter/extra' is neither a package name (@scope/name) nor a path (./dir)",
    );
  });
});
