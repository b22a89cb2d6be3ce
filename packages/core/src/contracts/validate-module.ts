import { ContractError } from '../errors.js';
import type { KnowledgeAdapterModule } from './knowledge-adapter.js';
import { CONTRACT_VERSION, majorVersion } from './version.js';

type Shape = Record<string, unknown>;

const isObject = (v: unknown): v is Shape => typeof v === 'object' && v !== null;

/**
 * Checks that `value` (what a knowledge-adapter package default-exported) implements the
 * contract and was written against this contract's major version. `source` names the module in
 * errors (package name or path); the message says what is wrong.
 */
export function validateKnowledgeAdapterModule(value: unknown, source: string): KnowledgeAdapterModule {
  const fail = (what: string): never => {
    throw new ContractError(`knowledge-adapter module '${source}' ${what}`);
  };
  if (!isObject(value))
    return fail(`does not default-export an object (got ${value === null ? 'null' : typeof value})`);
  const version = value.contractVersion;
  if (typeof version !== 'string')
    fail("has no 'contractVersion' (the CONTRACT_VERSION of @kadapter/core it was written against)");
  const theirs = majorVersion(version as string);
  if (theirs === undefined) fail(`declares contract version '${version}', which is not a version (major.minor.patch)`);
  if (theirs !== majorVersion(CONTRACT_VERSION)) {
    fail(
      `declares contract version ${version}, this @kadapter/core implements ${CONTRACT_VERSION}: use a release of the module written for contract ${majorVersion(CONTRACT_VERSION)}.x`,
    );
  }
  for (const field of ['name', 'description'] as const) {
    if (typeof value[field] !== 'string' || (value[field] as string).length === 0) fail(`has no '${field}'`);
  }
  if (!/^[A-Za-z0-9_-]+$/.test(value.name as string))
    fail(`has name '${value.name}': use letters, digits, '_' and '-' only`);
  if (!isObject(value.adapter)) fail("has no 'adapter' defaults object");
  const task = value.pretraining;
  if (!isObject(task)) return fail("has no 'pretraining' task");
  if (typeof task.name !== 'string') fail("pretraining task has no 'name'");
  if (typeof task.head !== 'function') fail("pretraining task has no 'head(context)' function");
  const encoder = task.encoder;
  if (!isObject(encoder)) return fail("pretraining task has no 'encoder'");
  for (const fn of ['featureShapes', 'parse', 'segments', 'build'] as const) {
    if (typeof encoder[fn] !== 'function') fail(`pretraining encoder lacks '${fn}()'`);
  }
  const inputs = task.inputs;
  if (!isObject(inputs) || !isObject(inputs.selectors) || !isObject(inputs.labels)) {
    fail("pretraining task has no 'inputs' ({ selectors, labels })");
  }
  const metrics = task.metrics;
  if (!isObject(metrics) || typeof metrics.create !== 'function' || !isObject(metrics.primary)) {
    fail("pretraining task has no 'metrics' ({ names, primary, create() })");
  }
  if (value.sample !== undefined) {
    const s = value.sample;
    if (!isObject(s) || !Array.isArray(s.train) || s.train.length === 0) fail("has a 'sample' without 'train' files");
  }
  if (value.maxLength !== undefined && !(Number.isInteger(value.maxLength) && (value.maxLength as number) >= 3)) {
    fail(`has maxLength ${String(value.maxLength)}: an integer >= 3 is needed`);
  }
  return value as unknown as KnowledgeAdapterModule;
}
