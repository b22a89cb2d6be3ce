import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { checkTensorLeaks, tinyFixture, useBackend, useTempDir } from '@kadapter/test-utils';
import { beforeAll, describe, expect, it } from 'vitest';
import { pretrain } from '../src/index.js';
import { trexModule } from './module.js';

const tempDir = useTempDir('kadapter-cache-');
const settings = { batchSize: 2, epochs: 3, seed: 3, lr: 1e-3 };

const run = async (out: string, cacheBudgetBytes?: number, log: (l: string) => void = () => {}) =>
  pretrain({
    module: trexModule,
    backbone: tinyFixture(),
    out,
    settings,
    progress: { silent: true },
    log,
    ...(cacheBudgetBytes === undefined ? {} : { cacheBudgetBytes }),
  });

const adapterBytes = (out: string) => readFile(join(out, 'adapter', 'adapter.safetensors'));

describe('the frozen backbone runs once per example (cpu)', () => {
  checkTensorLeaks();
  beforeAll(() => useBackend('cpu'));

  it('epochs 2+ read the cached outputs, and train to the same bits as recomputing them', async () => {
    const cached = await run(join(await tempDir(), 'cached'));
    const notices: string[] = [];
    const recomputed = await run(join(await tempDir(), 'recomputed'), 1024, (l) => notices.push(l));
    const examples = cached.examples.train;
    expect(cached.backbone.computed).toBe(examples);
    expect(cached.backbone.cached).toBe(2 * examples);
    expect(recomputed.backbone.computed).toBe(3 * examples);
    expect(recomputed.backbone.cached).toBe(0);
    expect(notices.join('\n')).toContain('more than the 0 MiB budget; the backbone runs again every epoch');
    expect((await adapterBytes(cached.run)).equals(await adapterBytes(recomputed.run))).toBe(true);
  });
});
