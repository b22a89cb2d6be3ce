import { Command, Help, type Option } from 'commander';
import { COMMANDS } from './commands/index.js';
import { addGlobalOptions } from './globals.js';
import { cliVersion, coreVersion } from './versions.js';

/** What `--help` says about exit codes (runCli returns them). */
export const EXIT_CODES_HELP = `
Exit codes:
  0  success
  1  usage error: unknown command or option, missing or invalid option value
  2  input, configuration or data error: one line "kadapter: error ..." on stderr
     (--debug adds the stack trace)`;

/** Builds the `kadapter` command line. Each subcommand lives in its own file under commands/. */
export function buildProgram(): Command {
  const program = new Command('kadapter')
    .description('K-Adapter for TypeScript: knowledge adapters beside a frozen RoBERTa')
    .version(`kadapter ${cliVersion()} (@kadapter/core ${coreVersion()})`, '-V, --version', 'print the versions')
    .showHelpAfterError()
    .exitOverride()
    // inherited by every subcommand registered below
    .configureHelp({
      showGlobalOptions: true,
      optionDescription(this: Help, option: Option): string {
        const text = Help.prototype.optionDescription.call(this, option);
        return option.mandatory ? `(required) ${text}` : text;
      },
    })
    .addHelpText('afterAll', EXIT_CODES_HELP);
  addGlobalOptions(program);
  for (const register of COMMANDS) register(program);
  return program;
}
