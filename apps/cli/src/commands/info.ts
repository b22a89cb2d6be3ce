import { CONTRACT_VERSION } from '@kadapter/core';
import type { Command } from 'commander';
import { initBackendFor } from '../globals.js';
import { jsonOption, printResult } from '../output.js';
import { cliVersion, coreVersion } from '../versions.js';

/** `kadapter info`: versions and the tfjs backend this machine gets. */
export function registerInfo(program: Command): void {
  program
    .command('info')
    .description('print versions and the tfjs backend that would be used')
    .addOption(jsonOption())
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const report = await initBackendFor(cmd);
      printResult(
        {
          cli: cliVersion(),
          core: coreVersion(),
          contract: CONTRACT_VERSION,
          backend: report.choice,
          node: process.version,
        },
        opts,
      );
    });
}
