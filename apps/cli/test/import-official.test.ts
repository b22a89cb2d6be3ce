import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadAdapter } from '@kadapter/adapter';
import { loadBackbone } from '@kadapter/backbone';
import { loadSafetensors, saveSafetensors } from '@kadapter/io';
import { checkTensorLeaks, expectClose, PARITY, tinyFixture, useBackend, useTempDir } from '@kadapter/test-utils';
import type { BackboneInput } from '@kadapter/nn';
import { fixtureVectors } from '@kadapter/test-fixtures';
import * as tf from '@tensorflow/tfjs';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { runCli } from '../src/index.js';
import { capture } from './capture.js';

describe('kadapter import-official', () => {
  checkTensorLeaks();
  let root: string;
  let ref: Awaited<ReturnType<typeof loadSafetensors>>;
  const tempDir = useTempDir('kadapter-cli-import-');
  beforeAll(async () => {
    await useBackend('wasm');
    root = await tempDir();
    ref = await fixtureVectors('core.');
  });
  afterAll(async () => {
    for (const t of ref.values()) t.dispose();
  });
  afterEach(() => vi.restoreAllMocks());

  const base = (checkpoint: string[], out: string) => [
    'import-official',
    '--checkpoint',
    tinyFixture(...checkpoint),
    '--backbone',
    tinyFixture(),
    '--taps',
    '0,2,3',
    '--heads',
    '4',
    '--out',
    out,
  ];

  for (const [task, file] of [
    ['fac', 'pytorch_model.bin'],
    ['fac', 'pytorch_model.legacy.bin'],
    ['lin', 'pytorch_model.bin'],
  ] as const) {
    it(`${task}-adapter/${file}: writes an adapter dir; backbone + adapter reproduce the official outputs`, async () => {
      const out = join(root, `${task}-${file}`);
      const { out: stdout } = capture();
      expect(await runCli(base([`${task}-adapter`, file], out))).toBe(0);
      const summary = JSON.parse(stdout.join(''));
      expect(summary).toMatchObject({
        name: task,
        task,
        adapterTensors: 108,
        backbone: { name: 'kadapter-tiny', hiddenSize: 64 },
      });
      expect(await readFile(join(out, 'README.md'), 'utf8')).toContain(`K-Adapter knowledge adapter \`${task}\``);
      vi.restoreAllMocks();

      const backbone = await loadBackbone(tinyFixture());
      const { stack } = await loadAdapter(out, { backbone: backbone.info });
      tf.tidy(() => {
        const encoded = backbone.encode(
          {
            inputIds: ref.get('core.input_ids') as BackboneInput['inputIds'],
            attentionMask: ref.get('core.attention_mask') as BackboneInput['attentionMask'],
          },
          { taps: stack.config.taps },
        );
        expectClose(
          stack.apply(encoded).output,
          ref.get(`core.${task}.adapter_out`) as BackboneInput['inputIds'],
          `${task} adapter_out`,
          PARITY,
        );
      });
      stack.dispose();
      backbone.dispose();
    });
  }

  it('exits 2 with a typed error when the taps do not fit the checkpoint', async () => {
    const { err } = capture();
    const args = base(['fac-adapter', 'pytorch_model.bin'], join(root, 'bad'));
    args[args.indexOf('0,2,3')] = '0,2';
    expect(await runCli(args)).toBe(2);
    expect(err.join('')).toMatch(
      /error E_CONFIG: .*pytorch_model.bin, field 'taps': the checkpoint has 3 adapter layers but 2 taps/,
    );
  });

  it('exits 2 when the backbone does not fit the checkpoint, or its config disagrees with its weights', async () => {
    // a valid 2-layer backbone: the tiny model without layers 2 and 3
    const twoLayers = join(root, 'two-layer-backbone');
    await mkdir(twoLayers);
    const config = JSON.parse(await readFile(tinyFixture('config.json'), 'utf8'));
    await writeFile(join(twoLayers, 'config.json'), JSON.stringify({ ...config, num_hidden_layers: 2 }));
    const kept = await loadSafetensors(tinyFixture('model.safetensors'), (n) => !/\.layer\.[23]\./.test(n));
    await saveSafetensors(join(twoLayers, 'model.safetensors'), kept);
    for (const t of kept.values()) t.dispose();
    // the tiny model's weights under a config that claims hidden size 128
    const wider = join(root, 'inconsistent-backbone');
    await mkdir(wider);
    await writeFile(join(wider, 'config.json'), JSON.stringify({ ...config, hidden_size: 128 }));
    await copyFile(tinyFixture('model.safetensors'), join(wider, 'model.safetensors'));

    const { err } = capture();
    const args = base(['fac-adapter', 'pytorch_model.bin'], join(root, 'mismatch'));
    args[args.indexOf('--backbone') + 1] = twoLayers;
    expect(await runCli(args)).toBe(2);
    expect(err.join('')).toMatch(/error E_CONFIG: .*field 'taps': .*tap 3 is beyond the backbone depth/);
    args[args.indexOf('--backbone') + 1] = wider;
    expect(await runCli(args)).toBe(2);
    expect(err.join('')).toMatch(/error E_CONFIG: .*inconsistent-backbone\/config\.json.*field 'hidden_size'/);
    expect(existsSync(join(root, 'mismatch'))).toBe(false);
  });

  it('the default --heads 12 not dividing the adapter size: exit 2, saying to pass --heads', async () => {
    const { err } = capture();
    const args = base(['fac-adapter', 'pytorch_model.bin'], join(root, 'heads'));
    args.splice(args.indexOf('--heads'), 2);
    expect(await runCli(args)).toBe(2);
    // the tiny adapters have adapter size 32 (fixture README)
    expect(err.join('')).toMatch(/E_CONFIG: .*adapterSize 32 is not divisible by 12 heads; .* pass --heads <n>/);
    expect(existsSync(join(root, 'heads'))).toBe(false);
  });

  it('an existing output directory: exit 2 naming --overwrite, before the work; --overwrite replaces it', async () => {
    const out = join(root, 'again');
    const { err } = capture();
    expect(await runCli(base(['fac-adapter', 'pytorch_model.bin'], out))).toBe(0);
    expect(await runCli(base(['fac-adapter', 'pytorch_model.bin'], out))).toBe(2);
    expect(err.join('')).toContain(`E_INPUT: ${out}: output directory exists and is not empty; pass --overwrite`);
    expect(await runCli([...base(['lin-adapter', 'pytorch_model.bin'], out), '--overwrite'])).toBe(0);
    expect(JSON.parse(await readFile(join(out, 'adapter_config.json'), 'utf8')).name).toBe('lin');
  });

  it('the card names the checkpoint by file name and sha256, not by a local path', async () => {
    const out = join(root, 'card');
    capture();
    expect(await runCli(base(['fac-adapter', 'pytorch_model.bin'], out))).toBe(0);
    const card = await readFile(join(out, 'README.md'), 'utf8');
    const sha256 = createHash('sha256')
      .update(await readFile(tinyFixture('fac-adapter', 'pytorch_model.bin')))
      .digest('hex');
    expect(card).toContain('- importedFrom: pytorch_model.bin\n');
    expect(card).toContain(`- sha256: ${sha256}\n`);
    expect(card).not.toContain(tinyFixture());
    expect(await readFile(join(out, 'adapter_config.json'), 'utf8')).not.toContain(tinyFixture());
  });

  it('exits 2 on a malformed --taps list', async () => {
    const { err } = capture();
    const args = base(['fac-adapter', 'pytorch_model.bin'], join(root, 'bad2'));
    args[args.indexOf('0,2,3')] = '0,x';
    expect(await runCli(args)).toBe(2);
    expect(err.join('')).toMatch(/E_INPUT: field '--taps'/);
  });

  describe('then kadapter features --adapter', () => {
    const inputJson = () => join(root, 'input.json');
    beforeAll(async () => {
      await writeFile(
        inputJson(),
        JSON.stringify({
          input_ids: ref.get('core.input_ids')?.arraySync(),
          attention_mask: ref.get('core.attention_mask')?.arraySync(),
        }),
      );
    });
    const features = (out: string, ...adapters: string[]) => [
      'features',
      '--backbone',
      tinyFixture(),
      '--input',
      inputJson(),
      '--out',
      out,
      '--batch-size',
      '3',
      ...adapters.flatMap((a) => ['--adapter', a]),
    ];

    it('writes adapter.<name> and adapter.<name>.layer.<i> matching the official adapters', async () => {
      const out = join(root, 'features.safetensors');
      capture();
      const code = await runCli(
        features(out, `fac=${join(root, 'fac-pytorch_model.bin')}`, `lin=${join(root, 'lin-pytorch_model.bin')}`),
      );
      vi.restoreAllMocks();
      expect(code).toBe(0);
      const got = await loadSafetensors(out);
      for (const task of ['fac', 'lin']) {
        expectClose(
          got.get(`adapter.${task}`) as never,
          ref.get(`core.${task}.adapter_out`) as never,
          `adapter.${task}`,
          PARITY,
        );
        for (let i = 0; i < 3; i++) {
          const name = `adapter.${task}.layer.${i}`;
          expectClose(got.get(name) as never, ref.get(`core.${task}.adapter_layer_out.${i}`) as never, name, PARITY);
        }
      }
      expect([...got.keys()].filter((n) => n.startsWith('hidden_states.'))).toHaveLength(5);
      for (const t of got.values()) t.dispose();
    });

    it('refuses an adapter trained on other weights, saying what differs; another name alone is no reason', async () => {
      const dir = join(root, 'fac-pytorch_model.bin');
      const file = join(dir, 'adapter_config.json');
      const original = await readFile(file, 'utf8');
      const meta = JSON.parse(original);
      try {
        await writeFile(file, JSON.stringify({ ...meta, backbone: { ...meta.backbone, name: 'roberta-large' } }));
        capture();
        expect(await runCli(features(join(root, 'renamed.safetensors'), `fac=${dir}`))).toBe(0);
        vi.restoreAllMocks();
        const other = `sha256:${'0'.repeat(64)}`;
        await writeFile(file, JSON.stringify({ ...meta, backbone: { ...meta.backbone, contentHash: other } }));
        const { err } = capture();
        expect(await runCli(features(join(root, 'refused.safetensors'), `fac=${dir}`))).toBe(2);
        expect(err.join('')).toMatch(
          /E_CONFIG: .*field 'backbone': adapter does not fit this backbone: weights \(SHA-256\): adapter sha256:0{64}, backbone sha256:[0-9a-f]{64}/,
        );
      } finally {
        await writeFile(file, original);
      }
    });

    it('an official checkpoint (its directory or the .bin) is refused with the import-official command to run', async () => {
      for (const path of [tinyFixture('fac-adapter'), tinyFixture('fac-adapter', 'pytorch_model.bin')]) {
        const { err } = capture();
        expect(await runCli(features(join(root, 'official.safetensors'), `fac=${path}`))).toBe(2);
        expect(err.join('')).toContain(
          `kadapter import-official --checkpoint ${tinyFixture('fac-adapter', 'pytorch_model.bin')} --backbone`,
        );
        expect(err.join('')).toContain(`E_INPUT: ${path}, field '--adapter': `);
        vi.restoreAllMocks();
      }
      expect(existsSync(join(root, 'official.safetensors'))).toBe(false);
    });

    it('refuses a malformed --adapter value', async () => {
      const { err } = capture();
      expect(await runCli(features(join(root, 'x.safetensors'), 'fac'))).toBe(2);
      expect(err.join('')).toMatch(/E_INPUT: field '--adapter': expected name=<adapter dir>, got 'fac'/);
    });
  });
});
