import { expectError, useTempDir } from '@kadapter/test-utils';
import { describe, expect, it, vi } from 'vitest';
import { CONTRACT_VERSION, loadKnowledgeModule } from '../src/index.js';
import { installPackage, moduleSource } from './module-fixtures.js';

/**
 * What a major bump of the contract in core does to the modules already published: this file runs
 * core with its CONTRACT_VERSION raised to the next major, and loads a module written against the
 * version core has today.
 */
const today = vi.hoisted(() => ({ version: '' }));
vi.mock('../src/contracts/version.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../src/contracts/version.js')>();
  today.version = actual.CONTRACT_VERSION;
  const next = `${Number(actual.CONTRACT_VERSION.split('.')[0]) + 1}.0.0`;
  return { ...actual, CONTRACT_VERSION: next };
});

const tempDir = useTempDir('kadapter-contract-bump-');

describe('a contract version bump in core', () => {
  it('makes a module written against the previous contract fail with the version message', async () => {
    const bumped = CONTRACT_VERSION;
    const newMajor = Number(today.version.split('.')[0]) + 1;
    expect(bumped).toBe(`${newMajor}.0.0`);
    const project = await tempDir();
    await installPackage(project, '@kadapter/adapter-published', moduleSource(today.version, 'published'));
    await expectError(
      loadKnowledgeModule('published', { cwd: project }),
      'E_CONTRACT',
      `knowledge-adapter module '@kadapter/adapter-published' declares contract version ${today.version}, this @kadapter/core implements ${bumped}: use a release of the module written for contract ${newMajor}.x`,
    );
  });

  it('and loads a module released for the new contract', async () => {
    const project = await tempDir();
    await installPackage(project, '@kadapter/adapter-updated', moduleSource(CONTRACT_VERSION, 'updated'));
    expect((await loadKnowledgeModule('updated', { cwd: project })).module.name).toBe('updated');
  });
});
