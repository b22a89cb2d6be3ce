import { type BackendReport, initBackend } from '@kadapter/nn/runtime';
import type { Command } from 'commander';

/** Options of the `kadapter` program itself, accepted before or after the subcommand. */
export interface GlobalOptions {
  /** no progress output and no backend notice line */
  quiet: boolean;
  /** print the stack of an error */
  debug: boolean;
}

/** Declares the global options on the program. */
export function addGlobalOptions(program: Command): void {
  program
    .option('--quiet', 'no progress output and no tfjs backend notice (results and warnings are still printed)')
    .option('--debug', 'print the stack trace of an error');
}

/** The global options as seen from a (sub)command. */
export function globalOptions(cmd: Command): GlobalOptions {
  const o = cmd.optsWithGlobals() as Partial<GlobalOptions>;
  return { quiet: o.quiet === true, debug: o.debug === true };
}

/** `initBackend` whose notice line on stderr follows --quiet. */
export function initBackendFor(cmd: Command): Promise<BackendReport> {
  return initBackend(globalOptions(cmd).quiet ? { log: () => {} } : {});
}
