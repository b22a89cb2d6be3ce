import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isKAdapterError } from '@kadapter/core';
import { loadSafetensors, saveSafetensors } from '@kadapter/io';
import { describeBackends, errorOf, EXACT, expectClose, PARITY, tinyFixture, useTempDir } from '@kadapter/test-utils';
import type { BackboneOutput } from '@kadapter/nn';
import { fixtureVectors } from '@kadapter/test-fixtures';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { importOfficialAdapter, loadAdapter, loadPretrainingHeadWeights } from '../src/index.js';
import { coreBackboneOutput, TINY_INFO } from './fixture.js';

const TINY = TINY_INFO;

describeBackends('import of official checkpoints', () => {
  let root: string;
  let v: Map<string, tf.Tensor>;
  let core: BackboneOutput;
  const tempDir = useTempDir('kadapter-import-');
  beforeAll(async () => {
    root = await tempDir();
    v = await fixtureVectors('core.');
    core = coreBackboneOutput(v);
  });
  afterAll(async () => {
    tf.dispose([...v.values(), core.mask]);
  });

  const cases = [
    ['fac', 'fac-adapter', 'pytorch_model.bin', 'torch-zip', 6],
    ['fac', 'fac-adapter', 'pytorch_model.legacy.bin', 'torch-legacy', 6],
    ['fac', 'fac-adapter', 'model.safetensors', 'safetensors', 6],
    ['lin', 'lin-adapter', 'pytorch_model.bin', 'torch-zip', 16],
  ] as const;
  for (const [task, dir, file, format, headTensors] of cases) {
    it(`${dir}/${file} (${format}) imports to an adapter dir whose outputs match the fixture`, async () => {
      const out = join(root, `${dir}-${file}`);
      const r = await importOfficialAdapter(tinyFixture(dir, file), out, { backbone: TINY, taps: [0, 2, 3], heads: 4 });
      expect(r.format).toBe(format);
      expect(r.adapterTensors).toBe(108);
      expect(r.headTensors).toBe(headTensors);
      expect(r.meta.name).toBe(task);
      expect(r.meta.adapter).toMatchObject({
        taps: [0, 2, 3],
        adapterSize: 32,
        layers: 2,
        heads: 4,
        intermediateSize: 64,
      });
      expect(r.meta.pretraining).toMatchObject({ task, headWeights: true, numLabels: task === 'fac' ? 10 : 32 });
      // provenance names the checkpoint by file name and content hash, never by a local path
      const sha256 = createHash('sha256')
        .update(await readFile(tinyFixture(dir, file)))
        .digest('hex');
      expect(r.meta.provenance).toEqual({ importedFrom: file, sha256, format });
      const card = await readFile(join(out, 'README.md'), 'utf8');
      expect(card).toContain(`- importedFrom: ${file}`);
      expect(card).not.toContain(tinyFixture());
      const { stack } = await loadAdapter(out, { backbone: TINY });
      const res = stack.apply(core, { collectLayers: true });
      res.layers?.forEach((l, i) => {
        expectClose(l, v.get(`core.${task}.adapter_layer_out.${i}`) as tf.Tensor, `${task} layer ${i}`, PARITY);
      });
      expectClose(res.output, v.get(`core.${task}.adapter_out`) as tf.Tensor, `${task} adapter_out`, PARITY);
      tf.dispose([res.output, ...(res.layers ?? [])]);
      stack.dispose();
      // the pre-training head tensors are kept, bit-exact
      const head = await loadPretrainingHeadWeights(out);
      const ref = await loadSafetensors(tinyFixture(dir, 'model.safetensors'), (n) => !n.startsWith('adapter.'));
      expect([...(head?.keys() ?? [])].sort()).toEqual([...ref.keys()].sort());
      for (const [n, t] of ref) expectClose(head?.get(n) as tf.Tensor, t, n, EXACT);
      tf.dispose([...(head?.values() ?? []), ...ref.values()]);
    });
  }

  it('the zip and legacy imports hold identical tensors', async () => {
    const a = await loadSafetensors(join(root, 'fac-adapter-pytorch_model.bin', 'adapter.safetensors'));
    const b = await loadSafetensors(join(root, 'fac-adapter-pytorch_model.legacy.bin', 'adapter.safetensors'));
    expect([...a.keys()]).toEqual([...b.keys()]);
    for (const [n, t] of a) expectClose(b.get(n) as tf.Tensor, t, n, EXACT);
    tf.dispose([...a.values(), ...b.values()]);
  });

  it('records labels when given and refuses a label count the head does not have', async () => {
    const labels = Array.from({ length: 10 }, (_, i) => `P${i}`);
    const r = await importOfficialAdapter(tinyFixture('fac-adapter', 'pytorch_model.bin'), join(root, 'labels'), {
      backbone: TINY,
      taps: [0, 2, 3],
      heads: 4,
      labels,
    });
    expect(r.meta.pretraining?.labels).toEqual(labels);
    const seen: Array<[string, number]> = [];
    const r2 = await importOfficialAdapter(
      tinyFixture('fac-adapter', 'pytorch_model.bin'),
      join(root, 'labels-default'),
      {
        backbone: TINY,
        taps: [0, 2, 3],
        heads: 4,
        defaultLabels: (task, n) => {
          seen.push([task, n]);
          return labels;
        },
      },
    );
    expect(seen).toEqual([['fac', 10]]);
    expect(r2.meta.pretraining?.labels).toEqual(labels);
    const err = await errorOf(
      importOfficialAdapter(tinyFixture('fac-adapter', 'pytorch_model.bin'), join(root, 'labels2'), {
        backbone: TINY,
        taps: [0, 2, 3],
        heads: 4,
        labels: labels.slice(0, 9),
      }),
    );
    expect(err.message).toMatch(/field 'labels'.*9 labels were given, the pre-training head has 10 classes/);
  });

  it('refuses taps that do not fit the checkpoint or the backbone, and another backbone width', async () => {
    const bin = tinyFixture('fac-adapter', 'pytorch_model.bin');
    const o = join(root, 'bad');
    let err = await errorOf(importOfficialAdapter(bin, o, { backbone: TINY, taps: [0, 2], heads: 4 }));
    expect(isKAdapterError(err, 'E_CONFIG')).toBe(true);
    expect(err.message).toMatch(/3 adapter layers but 2 taps were given/);
    err = await errorOf(importOfficialAdapter(bin, o, { backbone: TINY, taps: [0, 2, 7], heads: 4 }));
    expect(err.message).toMatch(/field 'taps'.*tap 7 is beyond the backbone depth/);
    err = await errorOf(
      importOfficialAdapter(bin, o, { backbone: { ...TINY, hiddenSize: 1024 }, taps: [0, 2, 3], heads: 4 }),
    );
    expect(err.message).toMatch(/width 64, the backbone 'kadapter-tiny' has hidden size 1024/);
    err = await errorOf(importOfficialAdapter(bin, o, { backbone: TINY, taps: [0, 2, 3], heads: 5 }));
    expect(err.message).toMatch(/field 'heads'.*not divisible by 5 heads/);
  });

  it('asserts every adapter tensor is there: a checkpoint missing one is refused naming it', async () => {
    const all = await loadSafetensors(tinyFixture('fac-adapter', 'model.safetensors'));
    const missing = ['adapter.2.encoder.layer.1.output.dense.bias', 'adapter.0.up_project.weight'];
    const file = join(root, 'incomplete.safetensors');
    await saveSafetensors(file, new Map([...all].filter(([n]) => !missing.includes(n))));
    tf.dispose([...all.values()]);
    const err = await errorOf(
      importOfficialAdapter(file, join(root, 'incomplete'), { backbone: TINY, taps: [0, 2, 3], heads: 4 }),
    );
    expect(isKAdapterError(err, 'E_MISSING_TENSOR')).toBe(true);
    expect(err.message).toContain(file);
    expect(err.message).toMatch(/missing 2: .*adapter.0.up_project.weight/);
    expect(err.message).toContain('adapter.2.encoder.layer.1.output.dense.bias');
  });
});
