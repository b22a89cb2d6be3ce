import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { copyFile, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { InputError } from '@kadapter/core';
import { useTempDir } from '@kadapter/test-utils';
import { describe, expect, it } from 'vitest';
import { planTrexBuild } from '../src/index.js';
import { planToFlow } from '../src/build-plan.js';
import { SAMPLE } from './helpers.js';

const tempDir = useTempDir('kadapter-queue-test-');
const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

describe('planTrexBuild: job ids from the input hashes and the options', () => {
  it('hashes every input in sorted order and gives the same ids for the same build, however it is named', async () => {
    const dir = await tempDir();
    await copyFile(SAMPLE, join(dir, 'b.json'));
    await writeFile(join(dir, 'a.json'), '[]');
    const base = { outDir: join(dir, 'out'), minCount: 1 };
    const plan = await planTrexBuild({ ...base, inputs: [dir] });
    expect(plan.inputs).toEqual([
      { path: join(dir, 'a.json'), sha256: sha256(join(dir, 'a.json')), bytes: 2 },
      { path: join(dir, 'b.json'), sha256: sha256(SAMPLE), bytes: readFileSync(SAMPLE).length },
    ]);
    const same = await planTrexBuild({
      inputs: [join(dir, 'b.json'), join(dir, 'a.json')],
      outDir: relative(process.cwd(), join(dir, 'out')),
      minCount: 1,
    });
    expect(same.id).toBe(plan.id);
    expect(same.fileJobIds).toEqual(plan.fileJobIds);
    expect(plan.id).toMatch(/^trex-build-[0-9a-f]{32}$/);
    expect(plan.fileJobIds[1]).toBe(`trex-file-${plan.key.slice(0, 32)}-1-${sha256(SAMPLE).slice(0, 12)}`);
    expect(plan.outDir).toBe(join(dir, 'out'));
    expect(plan.mergeData).toMatchObject({ workDir: join(dir, 'out', '.per-file'), removeWorkDir: true });
  });

  it('any option or input byte that changes the output changes the ids', async () => {
    const dir = await tempDir();
    const input = join(dir, 'in.json');
    await copyFile(SAMPLE, input);
    const base = { inputs: [input], outDir: join(dir, 'out') };
    const ids = new Set<string>();
    for (const options of [
      base,
      { ...base, seed: 1 },
      { ...base, minCount: 2 },
      { ...base, alignment: 'exact' as const },
      { ...base, strict: true },
      { ...base, labels: 'official' as const },
      { ...base, shardSize: 10 },
      { ...base, outDir: join(dir, 'other') },
      { ...base, workDir: join(dir, 'work') },
    ])
      ids.add((await planTrexBuild(options)).id);
    await writeFile(input, `${readFileSync(SAMPLE, 'utf8')} `);
    ids.add((await planTrexBuild(base)).id);
    expect(ids.size).toBe(10);
  });

  it('two files with the same bytes get one job each', async () => {
    const dir = await tempDir();
    await copyFile(SAMPLE, join(dir, 'x.json'));
    await copyFile(SAMPLE, join(dir, 'y.json'));
    const plan = await planTrexBuild({ inputs: [dir], outDir: join(dir, 'out') });
    expect(new Set(plan.fileJobIds).size).toBe(2);
  });

  it('no inputs is an InputError', async () => {
    await expect(planTrexBuild({ inputs: [], outDir: '/tmp/x' })).rejects.toBeInstanceOf(InputError);
  });
});

describe('planToFlow', () => {
  it('one parent merge job with one child per input that fails the parent when it fails for good', async () => {
    const dir = await tempDir();
    const plan = await planTrexBuild({ inputs: [SAMPLE], outDir: join(dir, 'out'), workDir: join(dir, 'w') });
    const flow = planToFlow(plan, 'q', { attempts: 5, backoffMs: 10 });
    expect(flow).toMatchObject({ name: 'trex-merge', queueName: 'q', opts: { jobId: plan.id, attempts: 5 } });
    expect(flow.data).toMatchObject({ removeWorkDir: false, workDir: join(dir, 'w') });
    expect(flow.children).toHaveLength(1);
    expect(flow.children?.[0]).toMatchObject({
      name: 'trex-file',
      data: { index: 0, input: { path: SAMPLE }, strict: false, alignment: 'official' },
      opts: { jobId: plan.fileJobIds[0], failParentOnFailure: true, backoff: { type: 'exponential', delay: 10 } },
    });
  });
});
