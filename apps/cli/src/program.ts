import { Command } from 'commander';
import { COMMANDS } from './commands/index.js';

/** Builds the `kadapter` command line. Each subcommand lives in its own file under commands/. */
export function buildProgram(): Command {
  const program = new Command('kadapter')
    .description('K-Adapter for TypeScript: knowledge adapters beside a frozen RoBERTa')
    .showHelpAfterError()
    .exitOverride();
  for (const register of COMMANDS) register(program);
  return program;
}
