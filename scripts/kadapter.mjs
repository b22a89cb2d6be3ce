#!/usr/bin/env node
// `pnpm kadapter <args>` from a checkout: builds the CLI and the packages it uses (turbo caches
// what is up to date), then runs it. Build output is shown only when the build fails.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const turbo = join(root, 'node_modules', '.bin', 'turbo');
if (!existsSync(turbo)) {
  process.stderr.write('kadapter: dependencies are not installed; run `npx pnpm@10.34.9 install` first\n');
  process.exit(1);
}
process.stderr.write('kadapter: building the workspace (cached after the first run)...\n');
const build = spawnSync(turbo, ['run', 'build', '--filter=@kadapter/cli...', '--output-logs=errors-only'], {
  cwd: root,
  encoding: 'utf8',
  env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1' },
});
if (build.status !== 0) {
  process.stderr.write(`${build.stdout ?? ''}${build.stderr ?? ''}`);
  process.stderr.write('kadapter: the build failed (output above)\n');
  process.exit(build.status ?? 1);
}
const run = spawnSync(process.execPath, [join(root, 'apps', 'cli', 'dist', 'bin.js'), ...process.argv.slice(2)], {
  stdio: 'inherit',
});
process.exit(run.status ?? 1);
