import { ConfigError } from './errors.js';
import { parseConfig, type Schema } from './schema.js';

/**
 * An open set of named kinds (heads, fusions, ...), each with the schema of its config: anyone can
 * add one, nothing lists them in advance. Registering a name twice is a ConfigError unless `replace` is set; an
 * unknown name is a ConfigError listing the known ones.
 */
export class Registry<K extends { readonly kind: string; readonly schema: Schema<unknown> }> {
  private readonly entries = new Map<string, K>();

  /** `what` names the kind in errors, e.g. "head kind" */
  constructor(private readonly what: string) {}

  register(entry: K, options: { replace?: boolean } = {}): void {
    if (this.entries.has(entry.kind) && !options.replace) {
      throw new ConfigError(`a ${this.what} named '${entry.kind}' is already registered`, { field: 'kind' });
    }
    this.entries.set(entry.kind, entry);
  }

  /** The entry registered as `kind`; `source` names where the name came from in the error. */
  get(kind: string, source?: string): K {
    const entry = this.entries.get(kind);
    if (!entry) {
      throw new ConfigError(`unknown ${this.what} '${kind}' (known: ${this.names().join(', ')})`, {
        ...(source ? { file: source } : {}),
        field: 'kind',
      });
    }
    return entry;
  }

  /**
   * A config (from a file or the command line) checked against the schema of the kind it names
   * in its `kind` field; errors name `source` and the field (under `prefix`, e.g. `heads.qa`).
   */
  parse(config: unknown, source: string, prefix?: string): { kind: string } & Record<string, unknown> {
    const name = (config as { kind?: unknown } | null)?.kind;
    if (typeof name !== 'string') {
      throw new ConfigError(`a config needs a "kind" naming a ${this.what}`, {
        file: source,
        field: prefix ? `${prefix}.kind` : 'kind',
      });
    }
    return parseConfig(this.get(name, source).schema, config, source, prefix) as { kind: string } & Record<
      string,
      unknown
    >;
  }

  has(kind: string): boolean {
    return this.entries.has(kind);
  }

  names(): string[] {
    return [...this.entries.keys()];
  }
}
