/**
 * A pre-training run as its own process, for tests that kill it: prints `step <n>` after every
 * update and `done` at the end. Ctrl-C (SIGINT) checkpoints and stops.
 *   run-pretrain.ts <out> [--resume]
 */
import { initBackend } from '@kadapter/nn/runtime';
import { tinyFixture } from '@kadapter/test-utils';
import { pretrain } from '../src/index.js';
import { RESUME_SETTINGS } from './resume-settings.js';
import { trexModule } from './module.js';

const [out, flag] = process.argv.slice(2);
await initBackend({ backend: 'cpu', log: () => {} });
let stop = false;
process.on('SIGINT', () => {
  stop = true;
});
const result = await pretrain({
  module: trexModule,
  backbone: tinyFixture(),
  out: out as string,
  resume: flag === '--resume',
  settings: RESUME_SETTINGS,
  progress: { silent: true },
  log: () => {},
  shouldStop: () => stop,
  onStep: (r) => process.stdout.write(`step ${r.step}\n`),
});
process.stdout.write(result.interrupted ? `stopped at ${result.steps}\n` : 'done\n');
