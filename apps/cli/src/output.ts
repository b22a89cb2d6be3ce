import { Option } from 'commander';

/** `--json`, for commands whose result is JSON on stdout. */
export function jsonOption(): Option {
  return new Option(
    '--json',
    'print the result as one JSON line on stdout (the default when stdout is not a terminal; a terminal gets a readable summary)',
  );
}

/**
 * Prints a command's result: one JSON line when `--json` is given or stdout is not a terminal
 * (pipes and scripts always get JSON), else a readable summary, one `key: value` line per field.
 */
export function printResult(result: Record<string, unknown>, opts: { json?: boolean }): void {
  if (opts.json === true || process.stdout.isTTY !== true) {
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return;
  }
  const entries = Object.entries(result).filter(([, v]) => v !== undefined);
  const keys = entries.map(([k]) => words(k));
  const width = Math.max(...keys.map((k) => k.length));
  const lines = entries.map(([, v], i) => `${`${keys[i]}:`.padEnd(width + 2)}${readable(v, true)}`);
  process.stdout.write(`${lines.join('\n')}\n`);
}

/** `triplesDropped` → `triples dropped` (snake_case keys are kept: they are data names). */
function words(key: string): string {
  return key.replace(/([a-z0-9])([A-Z])/g, (_, a: string, b: string) => `${a} ${b.toLowerCase()}`);
}

/** A value on one line: lists joined with commas, objects as `name value` pairs, `none` when empty. */
function readable(value: unknown, top = false): string {
  if (Array.isArray(value)) {
    if (value.length === 0) return 'none';
    const items = value.map((v) => readable(v));
    return top ? items.join(', ') : `[${items.join(', ')}]`;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value);
    return entries.length === 0 ? 'none' : entries.map(([k, v]) => `${k} ${readable(v)}`).join(', ');
  }
  return String(value);
}
