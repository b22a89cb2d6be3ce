import { expectError, useTempDir } from '@kadapter/test-utils';
import { describe, expect, it } from 'vitest';
import { CONTRACT_VERSION, loadKnowledgeModule } from '../src/index.js';
import { installPackage, moduleSource } from './module-fixtures.js';

const tempDir = useTempDir('kadapter-contract-version-');
// computed here from the version string, not by the code under test
const [major, minor] = CONTRACT_VERSION.split('.').map(Number) as [number, number];

describe('contract version of a loaded module', () => {
  it('an older module (the previous major) fails with the version message, naming the module', async () => {
    const project = await tempDir();
    const previous = `${major - 1}.4.0`;
    await installPackage(project, '@kadapter/adapter-old', moduleSource(previous, 'old'));
    await expectError(
      loadKnowledgeModule('old', { cwd: project }),
      'E_CONTRACT',
      `knowledge-adapter module '@kadapter/adapter-old' declares contract version ${previous}, this @kadapter/core implements ${CONTRACT_VERSION}: use a release of the module written for contract ${major}.x`,
    );
  });

  it('a module of the next major fails the same way; a later minor of this major loads', async () => {
    const project = await tempDir();
    await installPackage(project, 'newer', moduleSource(`${major + 1}.0.0`));
    await installPackage(project, 'later-minor', moduleSource(`${major}.${minor + 1}.0`));
    await expectError(
      loadKnowledgeModule('newer', { cwd: project }),
      'E_CONTRACT',
      `declares contract version ${major + 1}.0.0, this @kadapter/core implements ${CONTRACT_VERSION}`,
    );
    expect((await loadKnowledgeModule('later-minor', { cwd: project })).module.contractVersion).toBe(
      `${major}.${minor + 1}.0`,
    );
  });

  it('a version that is not major.minor.patch is named', async () => {
    const project = await tempDir();
    await installPackage(project, 'sloppy', moduleSource('two'));
    await expectError(
      loadKnowledgeModule('sloppy', { cwd: project }),
      'E_CONTRACT',
      "knowledge-adapter module 'sloppy' declares contract version 'two', which is not a version (major.minor.patch)",
    );
  });
});
