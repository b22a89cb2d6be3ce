import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { ContractError, FormatError, NotFoundError } from '../errors.js';

/** What a package directory's package.json says about itself, as far as loading it goes. */
export interface PackageInfo {
  dir: string;
  name?: string;
  version?: string;
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isFile = (path: string) => existsSync(path) && statSync(path).isFile();

/** The package.json of `dir`, or undefined when it has none. */
function readPackageJson(dir: string): Json | undefined {
  const file = join(dir, 'package.json');
  if (!isFile(file)) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new FormatError(`not valid JSON: ${(err as Error).message}`, { file, cause: err });
  }
  if (!isObject(value)) throw new FormatError('expected a JSON object', { file });
  return value;
}

/**
 * Node's conditional-export matching for one target: a string, an array of fallbacks, or an
 * object of conditions tried in key order (`default` always matches). Undefined when nothing matches.
 */
function exportTarget(value: unknown, conditions: ReadonlySet<string>): string | undefined {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) {
    for (const v of value) {
      const t = exportTarget(v, conditions);
      if (t !== undefined) return t;
    }
    return undefined;
  }
  if (!isObject(value)) return undefined;
  for (const [key, v] of Object.entries(value)) {
    if (key !== 'default' && !conditions.has(key)) continue;
    const t = exportTarget(v, conditions);
    if (t !== undefined) return t;
  }
  return undefined;
}

/** The `"."` entry of an `exports` field: the whole field, or its `"."` key when it maps subpaths. */
function rootExport(exports: unknown): unknown {
  if (isObject(exports) && Object.keys(exports).some((k) => k.startsWith('.'))) return exports['.'];
  return exports;
}

/**
 * The file a package directory's root import loads, resolved like Node's ESM loader does for
 * `import 'pkg'`: the `"."` entry of package.json `exports` under `conditions`; without `exports`,
 * `main` (also with `.js` or `/index.js` added), then `index.js`. `source` names the module in
 * errors: a missing entry (a package that was not built) is a NotFoundError naming the file, an
 * `exports` field without a root entry for these conditions a ContractError.
 */
export function packageEntry(
  dir: string,
  conditions: ReadonlySet<string>,
  source: string,
): { entry: string; package?: PackageInfo } {
  const pkg = readPackageJson(dir);
  const info = pkg && packageInfo(dir, pkg);
  const found = (entry: string) => (info ? { entry, package: info } : { entry });
  const where = pkg ? join(dir, 'package.json') : dir;
  const fail = (what: string): never => {
    throw new NotFoundError(`knowledge-adapter module '${source}': ${what}`, { file: where });
  };
  if (pkg?.exports !== undefined) {
    const target = exportTarget(rootExport(pkg.exports), conditions);
    if (target === undefined) {
      throw new ContractError(
        `knowledge-adapter module '${source}': package.json "exports" has no entry for "." under the conditions ${[...conditions].join(', ')}`,
        { file: where, field: 'exports' },
      );
    }
    const file = resolve(dir, target);
    if (!target.startsWith('./') || relative(dir, file).split(sep).includes('..')) {
      throw new ContractError(
        `knowledge-adapter module '${source}': the "exports" target ${JSON.stringify(target)} must start with ./ and stay inside the package`,
        { file: where, field: 'exports' },
      );
    }
    if (!isFile(file)) fail(`its entry ${target} ("exports") does not exist: build the package first`);
    return found(file);
  }
  const main = typeof pkg?.main === 'string' ? pkg.main : undefined;
  const candidates = main ? [main, `${main}.js`, join(main, 'index.js')] : [];
  for (const c of [...candidates, 'index.js']) {
    const file = resolve(dir, c);
    if (isFile(file)) return found(file);
  }
  if (main) return fail(`its entry ${main} ("main") does not exist: build the package first`);
  return fail(
    pkg ? 'package.json has neither "exports" nor "main", and there is no index.js' : 'no package.json and no index.js',
  );
}

function packageInfo(dir: string, pkg: Json): PackageInfo {
  return {
    dir,
    ...(typeof pkg.name === 'string' ? { name: pkg.name } : {}),
    ...(typeof pkg.version === 'string' ? { version: pkg.version } : {}),
  };
}
