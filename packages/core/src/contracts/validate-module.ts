import { ContractError } from '../errors.js';
import type { KnowledgeAdapterModule } from './knowledge-adapter.js';
import { CONTRACT_VERSION, majorVersion } from './version.js';

/**
 * Checks that `value` (what a knowledge-adapter package default-exported) implements the
 * contract, and that its contract version has our major version. `source` names the module in
 * errors (package name or path).
 */
export function validateKnowledgeAdapterModule(value: unknown, source: string): KnowledgeAdapterModule {
  const fail = (what: string): never => {
    throw new ContractError(`knowledge-adapter module '${source}' ${what}`);
  };
  if (typeof value !== 'object' || value === null) fail('does not default-export an object');
  const mod = value as Partial<KnowledgeAdapterModule>;
  if (typeof mod.name !== 'string' || mod.name.length === 0) fail("has no 'name'");
  if (typeof mod.version !== 'string') fail("has no contract 'version'");
  const theirs = majorVersion(mod.version as string);
  const ours = majorVersion(CONTRACT_VERSION);
  if (theirs !== ours) {
    fail(`declares contract version ${mod.version}, this @kadapter/core implements ${CONTRACT_VERSION}`);
  }
  if (typeof mod.defaultConfig !== 'object' || mod.defaultConfig === null) fail("has no 'defaultConfig'");
  const task = mod.pretraining;
  if (typeof task !== 'object' || task === null) fail("has no 'pretraining' task");
  for (const fn of ['buildExamples', 'encode', 'createHead'] as const) {
    if (typeof (task as unknown as Record<string, unknown>)[fn] !== 'function')
      fail(`pretraining task lacks '${fn}()'`);
  }
  return mod as KnowledgeAdapterModule;
}
