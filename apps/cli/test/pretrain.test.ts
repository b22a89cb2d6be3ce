import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadSafetensors } from '@kadapter/io';
import { fixtureVectors, fixtureWeights, tensorOf } from '@kadapter/test-fixtures';
import {
  checkTensorLeaks,
  expectClose,
  expectOptimizerStep,
  tinyFixture,
  useBackend,
  useTempDir,
} from '@kadapter/test-utils';
import * as tf from '@tensorflow/tfjs';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { runCli } from '../src/index.js';
import { capture } from './capture.js';

const tempDir = useTempDir('kadapter-cli-pretrain-');

/** Runs the CLI with captured output. */
async function cli(...args: string[]) {
  const io = capture();
  const code = await runCli(['--quiet', ...args]);
  vi.restoreAllMocks();
  return { code, out: io.out.join(''), err: io.err.join('') };
}

describe('kadapter pretrain', () => {
  checkTensorLeaks();
  let init: string;
  let v: Map<string, tf.Tensor>;
  let start: Map<string, tf.Tensor>;
  beforeAll(async () => {
    await useBackend('wasm');
    init = join(await tempDir(), 'fac');
    const imported = await cli(
      'import-official',
      '--checkpoint',
      tinyFixture('fac-adapter', 'pytorch_model.bin'),
      '--backbone',
      tinyFixture(),
      '--taps',
      '0,2,3',
      '--heads',
      '4',
      '--out',
      init,
      '--json',
    );
    expect(imported.code, imported.err).toBe(0);
    v = await fixtureVectors('train.', 'after_step.');
    start = await fixtureWeights(['fac-adapter', 'model.safetensors']);
  });
  afterAll(() => tf.dispose([...v.values(), ...start.values()]));
  afterEach(() => vi.restoreAllMocks());

  const official = (out: string, ...more: string[]) => [
    'pretrain',
    '--knowledge',
    'factual',
    '--backbone',
    tinyFixture(),
    '--data',
    tinyFixture('examples', 'trex.json'),
    '--max-len',
    '32',
    '--init',
    init,
    '--dropout',
    '0',
    '--no-shuffle',
    '--max-steps',
    '1',
    '--total-steps',
    '10',
    '--warmup-steps',
    '2',
    '--lr',
    '5e-5',
    '--out',
    out,
    '--json',
    ...more,
  ];

  it('reproduces the official first update from an imported official checkpoint', async () => {
    const out = join(await tempDir(), 'run');
    const r = await cli(...official(out));
    expect(r.code, r.err).toBe(0);
    const result = JSON.parse(r.out);
    expect(result).toMatchObject({ steps: 1, examples: { train: 5, eval: 0 }, skipped: { marker_beyond_max_len: 1 } });
    const line = JSON.parse((await readFile(join(out, 'metrics.jsonl'), 'utf8')).split('\n')[0] as string);
    expectClose([line.loss], v.get('train.loss') as tf.Tensor, 'loss', { atol: 1e-5, rtol: 0 });
    const params = new Map([
      ...(await loadSafetensors(join(out, 'adapter', 'adapter.safetensors'))),
      ...(await loadSafetensors(join(out, 'adapter', 'pretraining_head.safetensors'))),
    ]);
    expect(params.size).toBe(114);
    for (const [name, p] of params) {
      expectOptimizerStep(p, tensorOf(start, name), tensorOf(v, `after_step.${name}`), name);
    }
    const card = await readFile(join(out, 'adapter', 'README.md'), 'utf8');
    expect(card).toContain('trex');
    tf.dispose([...params.values()]);
  });

  it('refuses bad input with exit 2, naming the module, file or argument, and writes nothing', async () => {
    const root = await tempDir();
    const missing = await cli(...official(join(root, 'a'), '--knowledge', 'no-such-knowledge'));
    expect(missing.code).toBe(2);
    expect(missing.err).toContain("'no-such-knowledge'");
    expect(missing.err).toContain('@kadapter/adapter-no-such-knowledge');
    expect(existsSync(join(root, 'a', 'run.json'))).toBe(false);

    const bad = join(root, 'bad.json');
    await writeFile(
      bad,
      JSON.stringify([{ token: ['a', 'b'], subj_start: 0, subj_end: 0, obj_start: 1, relation: 'P17' }]),
    );
    const format = await cli(...official(join(root, 'b'), '--data', bad));
    expect(format.code).toBe(2);
    expect(format.err).toContain(bad);
    expect(format.err).toContain("field 'obj_end'");

    // P159 is relation 10 of the official list: not one of the 10 classes (0..9) of the imported head
    const other = join(root, 'other.json');
    await writeFile(
      other,
      JSON.stringify([
        {
          token: ['Paris', 'is', 'in', 'France'],
          subj_start: 0,
          subj_end: 0,
          obj_start: 3,
          obj_end: 3,
          relation: 'P159',
        },
      ]),
    );
    const classes = await cli(...official(join(root, 'c'), '--data', other));
    expect(classes.code).toBe(2);
    expect(classes.err).toContain("is not one of the head's 10 classes");
    expect(classes.err).toContain(other);

    const run = join(root, 'd');
    expect((await cli(...official(run))).code).toBe(0);
    const before = await readFile(join(run, 'run.json'), 'utf8');
    const again = await cli(...official(run));
    expect(again.code).toBe(2);
    expect(again.err).toContain('holds another run (use --resume to continue it)');
    expect(await readFile(join(run, 'run.json'), 'utf8')).toBe(before);
    const changed = await cli(...official(run, '--resume', '--lr', '1e-4'));
    expect(changed.code).toBe(2);
    expect(changed.err).toContain('would change the result');
    const nothing = await cli(...official(join(root, 'e'), '--resume'));
    expect(nothing.code).toBe(2);
    expect(nothing.err).toContain('nothing to resume');
  });
});
