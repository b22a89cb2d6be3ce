import { CommanderError } from 'commander';
import { isKAdapterError } from '@kadapter/core';
import { buildProgram } from './program.js';

/**
 * Runs the CLI with `argv` (without node and script). Returns the exit code instead of exiting,
 * so tests can call it in-process. Library errors are printed as one line with their code.
 */
export async function runCli(argv: readonly string[]): Promise<number> {
  try {
    await buildProgram().parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode;
    if (isKAdapterError(err)) {
      process.stderr.write(`kadapter: error ${err.code}: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
}
