import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  checkTensorLeaks,
  expectError,
  startSourceProcess,
  stopProcess,
  tinyFixture,
  useBackend,
  useTempDir,
} from '@kadapter/test-utils';
import { beforeAll, describe, expect, it } from 'vitest';
import { pretrain } from '../src/index.js';
import { trexModule } from './module.js';
import { RESUME_SETTINGS } from './resume-settings.js';

const tempDir = useTempDir('kadapter-resume-');
const here = new URL('.', import.meta.url).pathname;
const pkg = join(here, '..');

const run = (out: string, extra: Partial<Parameters<typeof pretrain>[0]> = {}) =>
  pretrain({
    module: trexModule,
    backbone: tinyFixture(),
    out,
    settings: RESUME_SETTINGS,
    progress: { silent: true },
    log: () => {},
    ...extra,
  });

const bytes = async (run: string) =>
  Buffer.concat([
    await readFile(join(run, 'adapter', 'adapter.safetensors')),
    await readFile(join(run, 'adapter', 'pretraining_head.safetensors')),
  ]);

/** Runs the pre-training script in its own process until `step <n>` is printed, then sends `signal`. */
async function interrupted(out: string, n: number, signal: NodeJS.Signals) {
  const p = await startSourceProcess(pkg, join(here, 'run-pretrain.ts'), [out], new RegExp(`step ${n}\\n`), 120_000);
  p.child.kill(signal);
  const exit = await p.exited;
  return { exit, log: p.log() };
}

describe('pre-training runs are reproducible and resume exactly (cpu backend)', () => {
  checkTensorLeaks();
  let reference: Buffer;
  beforeAll(async () => {
    await useBackend('cpu');
    const out = join(await tempDir(), 'reference');
    const r = await run(out);
    expect(r.steps).toBe(12);
    reference = await bytes(out);
  });

  it('the same seed gives bit-identical adapters; another seed does not', async () => {
    const again = join(await tempDir(), 'again');
    await run(again);
    expect((await bytes(again)).equals(reference)).toBe(true);
    const other = join(await tempDir(), 'other');
    await run(other, { settings: { ...RESUME_SETTINGS, seed: 8 } });
    expect((await bytes(other)).equals(reference)).toBe(false);
  });

  it('killed (SIGKILL) after update 5, --resume ends with bit-identical weights', async () => {
    const out = join(await tempDir(), 'killed');
    const { exit } = await interrupted(out, 5, 'SIGKILL');
    expect(exit.signal).toBe('SIGKILL');
    const resumed = await run(out, { resume: true });
    expect(resumed.steps).toBe(12);
    expect((await bytes(out)).equals(reference)).toBe(true);
    const steps = (await readFile(join(out, 'metrics.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l).step);
    expect(steps).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
  });

  it('Ctrl-C (SIGINT) checkpoints before exiting; --resume ends with bit-identical weights', async () => {
    const out = join(await tempDir(), 'interrupted');
    const { exit, log } = await interrupted(out, 3, 'SIGINT');
    expect(exit.code).toBe(0);
    const at = Number(/stopped at (\d+)/.exec(log)?.[1]);
    expect(at).toBeGreaterThanOrEqual(3);
    expect(at).toBeLessThan(12);
    await run(out, { resume: true });
    expect((await bytes(out)).equals(reference)).toBe(true);
  });

  it('refuses a resume with another setting (naming it), an output directory with another run, and nothing to resume', async () => {
    const out = join(await tempDir(), 'settings');
    await interrupted(out, 2, 'SIGKILL');
    const runJson = await readFile(join(out, 'run.json'), 'utf8');
    await expectError(
      run(out, { resume: true, settings: { ...RESUME_SETTINGS, lr: 5e-4 } }),
      'E_CONFIG',
      "field 'train'",
      'would change the result',
      '"lr":0.001',
    );
    await expectError(run(out), 'E_CONFIG', 'holds another run (use --resume to continue it)');
    expect(await readFile(join(out, 'run.json'), 'utf8')).toBe(runJson);
    await expectError(run(join(await tempDir(), 'empty'), { resume: true }), 'E_NOT_FOUND', 'nothing to resume');
  });

  it('a damaged checkpoint is refused naming the file', async () => {
    const out = join(await tempDir(), 'damaged');
    await interrupted(out, 3, 'SIGKILL');
    const checkpoint = join(out, 'checkpoints', 'step-000002');
    await writeFile(join(checkpoint, 'params.safetensors'), 'not a safetensors file');
    await expectError(run(out, { resume: true }), 'E_FORMAT', join(checkpoint, 'params.safetensors'));
    await rm(join(checkpoint, 'state.json'));
    await expectError(run(out, { resume: true }), 'E_NOT_FOUND', 'state.json');
  });
});
