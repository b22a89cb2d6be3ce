import { inspect } from 'node:util';
import { isKAdapterError } from '@kadapter/core';
import { CommanderError } from 'commander';
import { buildProgram } from './program.js';

/**
 * Runs the CLI with `argv` (without node and script). Returns the exit code instead of exiting,
 * so tests can call it in-process: 0 ok, 1 usage error (commander), 2 any other error, printed as
 * one line `kadapter: error [CODE: ]message` (with the stack and causes under --debug).
 */
export async function runCli(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode;
    process.stderr.write(`${errorLine(err)}\n`);
    if (program.opts().debug === true) process.stderr.write(`${inspect(err)}\n`);
    return 2;
  }
}

function errorLine(err: unknown): string {
  const message = (err instanceof Error ? err.message : String(err)).replace(/\s*\n\s*/g, ' ');
  return isKAdapterError(err) ? `kadapter: error ${err.code}: ${message}` : `kadapter: error ${message}`;
}
