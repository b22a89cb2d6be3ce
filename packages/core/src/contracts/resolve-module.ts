import { existsSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { ConfigError, NotFoundError } from '../errors.js';
import { type PackageInfo, packageEntry } from './package-entry.js';

/** Where knowledge-adapter modules are looked up. */
export interface ModuleResolveOptions {
  /**
   * the user's project (default: the process's working directory): packages are found in the
   * `node_modules` folders of it and of its parents, relative paths are taken from it
   */
  cwd?: string;
  /**
   * export conditions to match besides `node`, `import`, `default` and the process's own
   * `--conditions` (e.g. `@kadapter/source`, which this workspace's tests resolve sources with)
   */
  conditions?: readonly string[];
}

/** A module found, before it is imported. */
export interface ResolvedModule {
  /** what was asked for */
  spec: string;
  /** how messages name it: the package name found, or the path as given */
  source: string;
  /** absolute path of the file to import */
  entry: string;
  /** the package the entry is the root of, when it has a package.json */
  package?: PackageInfo;
}

/** Prefix a bare name is tried with first (`x` → `@kadapter/adapter-x`). */
export const KNOWLEDGE_MODULE_PREFIX = '@kadapter/adapter-';

const SCOPED = /^@[^/\\]+\/[^/\\]+$/;

/** `./x`, `../x`, `/x`, `C:\x`, or anything with a slash that is not a scoped package name. */
function isPath(spec: string): boolean {
  if (isAbsolute(spec) || spec === '.' || spec === '..' || /^\.\.?[/\\]/.test(spec)) return true;
  return !spec.startsWith('@') && /[/\\]/.test(spec);
}

const isDirectory = (path: string) => existsSync(path) && statSync(path).isDirectory();

/** `--conditions` / `-C` given to this Node process (its flags and NODE_OPTIONS). */
function processConditions(): string[] {
  const args = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/).filter(Boolean)];
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    const inline = /^(?:--conditions|-C)=(.+)$/.exec(arg);
    if (inline) out.push(inline[1] as string);
    else if ((arg === '--conditions' || arg === '-C') && i + 1 < args.length) out.push(args[++i] as string);
  }
  return out;
}

/**
 * The directory of package `name` in the `node_modules` folders of `cwd` and its parents, as Node
 * searches them; symbolic links resolved (pnpm links packages), as Node does.
 */
function findPackageDir(name: string, cwd: string): string | undefined {
  for (let dir = cwd; ; dir = dirname(dir)) {
    if (basename(dir) !== 'node_modules') {
      const candidate = join(dir, 'node_modules', ...name.split('/'));
      if (isDirectory(candidate)) return realpathSync(candidate);
    }
    if (dirname(dir) === dir) return undefined;
  }
}

/** The package names a spec stands for, in the order they are tried. */
function packageNames(spec: string): string[] {
  if (spec.startsWith('@')) {
    if (!SCOPED.test(spec)) {
      throw new ConfigError(
        `knowledge-adapter module '${spec}' is neither a package name (@scope/name) nor a path (./dir)`,
        { field: 'knowledge' },
      );
    }
    return [spec];
  }
  return [`${KNOWLEDGE_MODULE_PREFIX}${spec}`, spec];
}

/**
 * Finds a knowledge-adapter module without importing it. `spec` is a path (`./dir`, `/abs/dir`,
 * `dir/sub`, or a file) taken from `cwd`, or a package name looked up in the `node_modules` folders
 * of `cwd` and its parents (never from where @kadapter/core is installed). A bare name `x` is tried
 * as `@kadapter/adapter-x` first, then as `x` (the way ESLint finds plugins); a scoped name is taken
 * as it is. A package or directory loads its root entry: package.json `exports` (conditions
 * `node`, `import`, `default` and `options.conditions`), else `main`, else `index.js`.
 * Not found: a NotFoundError saying which names were tried from where.
 */
export function resolveKnowledgeModule(spec: string, options: ModuleResolveOptions = {}): ResolvedModule {
  if (spec.trim() === '') throw new ConfigError('no knowledge-adapter module given', { field: 'knowledge' });
  const cwd = resolve(options.cwd ?? process.cwd());
  const conditions = new Set(['node', 'import', 'default', ...processConditions(), ...(options.conditions ?? [])]);
  if (isPath(spec)) {
    const given = resolve(cwd, spec);
    if (!existsSync(given))
      throw new NotFoundError(`knowledge-adapter module '${spec}' not found: ${given} does not exist`);
    const path = realpathSync(given);
    if (!isDirectory(path)) return { spec, source: spec, entry: path };
    return { spec, source: spec, ...packageEntry(path, conditions, spec) };
  }
  const names = packageNames(spec);
  for (const name of names) {
    const dir = findPackageDir(name, cwd);
    if (dir) return { spec, source: name, ...packageEntry(dir, conditions, name) };
  }
  const local = isDirectory(join(cwd, spec)) ? ` (for the directory ${join(cwd, spec)}, give a path: ./${spec})` : '';
  throw new NotFoundError(
    `knowledge-adapter module '${spec}' not found: tried the package${names.length > 1 ? 's' : ''} ${names.join(' and ')} in the node_modules folders of ${cwd} and its parents${local}`,
  );
}
