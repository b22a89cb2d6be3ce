import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadAdapter } from '@kadapter/adapter';
import { loadBackbone } from '@kadapter/backbone';
import { loadSafetensors } from '@kadapter/io';
import { expectClose, tinyFixture, useBackend } from '@kadapter/test-utils';
import type { BackboneInput } from '@kadapter/core';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { runCli } from '../src/index.js';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((s) => out.push(String(s)) > 0);
  vi.spyOn(process.stderr, 'write').mockImplementation((s) => err.push(String(s)) > 0);
  return { out, err };
}

describe('kadapter import-official', () => {
  let root: string;
  let ref: Awaited<ReturnType<typeof loadSafetensors>>;
  beforeAll(async () => {
    await useBackend('wasm');
    root = await mkdtemp(join(tmpdir(), 'kadapter-cli-import-'));
    ref = await loadSafetensors(tinyFixture('vectors.safetensors'), (n) => n.startsWith('core.'));
  });
  afterAll(async () => {
    for (const t of ref.values()) t.dispose();
    await rm(root, { recursive: true, force: true });
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
      );
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

  it('exits 2 on a malformed --taps list', async () => {
    const { err } = capture();
    const args = base(['fac-adapter', 'pytorch_model.bin'], join(root, 'bad2'));
    args[args.indexOf('0,2,3')] = '0,x';
    expect(await runCli(args)).toBe(2);
    expect(err.join('')).toMatch(/E_INPUT: field '--taps'/);
  });
});
