import { readFileSync } from 'node:fs';
import { CONTRACT_VERSION } from '@kadapter/core';
import { initBackend } from '@kadapter/nn/runtime';
import type { Command } from 'commander';

/** `kadapter info`: versions and the tfjs backend this machine gets. */
export function registerInfo(program: Command): void {
  program
    .command('info')
    .description('print versions and the tfjs backend that would be used')
    .action(async () => {
      const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
        version: string;
      };
      const report = await initBackend();
      process.stdout.write(
        `${JSON.stringify({ cli: pkg.version, contract: CONTRACT_VERSION, backend: report.choice, node: process.version })}\n`,
      );
    });
}
