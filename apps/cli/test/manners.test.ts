import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runCli } from '../src/index.js';
import { capture } from './capture.js';

const versionOf = (path: string) => JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8')).version as string;

/** Every command and subcommand that has its own options. */
const COMMANDS = [
  ['info'],
  ['import-official'],
  ['encode'],
  ['features'],
  ['build-data', 'trex'],
  ['build-data', 'find-head'],
  ['score'],
  ['demo'],
  ['download'],
];

async function help(...command: string[]): Promise<string> {
  const { out } = capture();
  expect(await runCli([...command, '--help'])).toBe(0);
  vi.restoreAllMocks();
  return out.join('');
}

/** Runs with stdout looking like a terminal (as in an interactive shell). */
async function onTerminal<T>(run: () => Promise<T>): Promise<T> {
  const was = process.stdout.isTTY;
  process.stdout.isTTY = true;
  try {
    return await run();
  } finally {
    process.stdout.isTTY = was;
  }
}

describe('kadapter manners', () => {
  afterEach(() => vi.restoreAllMocks());

  it('--version prints the CLI version and the @kadapter/core version', async () => {
    const cli = versionOf('../package.json');
    const core = versionOf('../../../packages/core/package.json');
    for (const flag of ['--version', '-V']) {
      const { out } = capture();
      expect(await runCli([flag])).toBe(0);
      expect(out.join('')).toBe(`kadapter ${cli} (@kadapter/core ${core})\n`);
      vi.restoreAllMocks();
    }
  });

  it('--help lists the exit codes, for the program and every command', async () => {
    for (const command of [[], ...COMMANDS]) {
      const text = await help(...command);
      expect(text, command.join(' ')).toMatch(/Exit codes:\n\s+0\s+success\n\s+1\s+usage error.*\n\s+2\s+input/);
    }
  });

  it('--help marks required options and shows numeric defaults as numbers', async () => {
    const text = await help('import-official');
    for (const option of ['--checkpoint <file>', '--backbone <dir\\|id>', '--taps <list>', '--out <dir>'])
      expect(text).toMatch(new RegExp(`${option}\\s+\\(required\\) `));
    expect(text).toMatch(/--heads <n>\s+(?!\(required\))/);
    expect(text).toMatch(/\(default: 12\)/);
    expect(await help('build-data', 'trex')).toMatch(/--seed <s>[^-]*\(default: 42\)/);
    for (const command of COMMANDS) expect(await help(...command), command.join(' ')).not.toMatch(/default: "\d/);
  });

  it('--json is accepted by every command that prints a JSON result, and help says stdout is JSON', async () => {
    for (const command of COMMANDS.filter((c) => c[0] !== 'demo')) {
      expect(await help(...command), command.join(' ')).toMatch(/--json\s+print the result as one JSON line/);
    }
    const { out } = capture();
    expect(await runCli(['info', '--json'])).toBe(0);
    expect(JSON.parse(out.join(''))).toMatchObject({ cli: versionOf('../package.json') });
  });

  it('prints JSON when stdout is not a terminal, a readable summary on a terminal, JSON there with --json', async () => {
    const piped = capture();
    expect(await runCli(['info'])).toBe(0);
    const info = JSON.parse(piped.out.join(''));
    vi.restoreAllMocks();

    const tty = capture();
    expect(await onTerminal(() => runCli(['info']))).toBe(0);
    expect(tty.out.join('')).toBe(
      [
        `cli:      ${info.cli}`,
        `core:     ${info.core}`,
        `contract: ${info.contract}`,
        `backend:  ${info.backend}`,
        `node:     ${info.node}`,
        '',
      ].join('\n'),
    );
    vi.restoreAllMocks();

    const json = capture();
    expect(await onTerminal(() => runCli(['info', '--json']))).toBe(0);
    expect(JSON.parse(json.out.join(''))).toEqual(info);
  });

  it('the global --quiet silences the backend notice, before or after the command', async () => {
    const loud = capture();
    expect(await runCli(['info'])).toBe(0);
    expect(loud.err.join('')).toContain('kadapter: tfjs backend =');
    vi.restoreAllMocks();
    for (const args of [
      ['--quiet', 'info'],
      ['info', '--quiet'],
    ]) {
      const { out, err } = capture();
      expect(await runCli(args)).toBe(0);
      expect(err.join('')).toBe('');
      expect(JSON.parse(out.join('')).backend).toBeTruthy();
      vi.restoreAllMocks();
    }
  });

  it('a usage error exits 1', async () => {
    capture();
    expect(await runCli(['encode', '--no-such-option'])).toBe(1);
    expect(await runCli(['import-official', '--heads', 'x'])).toBe(1);
  });
});
