import { pathToFileURL } from 'node:url';
import { ContractError } from '../errors.js';
import type { KnowledgeAdapterModule } from './knowledge-adapter.js';
import { type ModuleResolveOptions, type ResolvedModule, resolveKnowledgeModule } from './resolve-module.js';
import { validateKnowledgeAdapterModule } from './validate-module.js';

/** A knowledge-adapter module, checked against the contract, and where it came from. */
export interface LoadedKnowledgeModule extends ResolvedModule {
  module: KnowledgeAdapterModule;
}

/** The default export of a module namespace; a CommonJS build of an ES module keeps it one level down. */
function defaultExport(ns: Record<string, unknown>): unknown {
  const value = ns.default;
  if (typeof value === 'object' && value !== null && (value as { __esModule?: unknown }).__esModule === true)
    return (value as { default?: unknown }).default;
  return value;
}

/**
 * Loads the knowledge-adapter module `spec` (a package name, a bare name `x` for
 * `@kadapter/adapter-x` or `x`, or a path to a directory or file; see `resolveKnowledgeModule`),
 * imports it and checks its default export with `validateKnowledgeAdapterModule`. Every failure
 * names the module and the fault: not found (NotFoundError: the names tried and from where, or a
 * package that was not built); a ContractError when it throws on import (the cause attached), has
 * no default export, does not have the contract's shape, or declares another contract major version.
 */
export async function loadKnowledgeModule(
  spec: string,
  options: ModuleResolveOptions = {},
): Promise<LoadedKnowledgeModule> {
  const resolved = resolveKnowledgeModule(spec, options);
  const { source, entry } = resolved;
  let ns: Record<string, unknown>;
  try {
    ns = await import(/* @vite-ignore */ pathToFileURL(entry).href);
  } catch (err) {
    throw new ContractError(
      `knowledge-adapter module '${source}' throws on import (${entry}): ${err instanceof Error ? err.message : String(err)}`,
      { cause: err },
    );
  }
  const value = defaultExport(ns);
  if (value === undefined) {
    const names = Object.keys(ns);
    throw new ContractError(
      `knowledge-adapter module '${source}' has no default export (${names.length > 0 ? `it exports ${names.join(', ')}` : 'it exports nothing'}): export the KnowledgeAdapterModule as default`,
    );
  }
  return { ...resolved, module: validateKnowledgeAdapterModule(value, source) };
}
