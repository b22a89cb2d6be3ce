import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CONTRACT_VERSION,
  defaultAdapterConfig,
  loadKnowledgeModule,
  majorVersion,
  validateKnowledgeAdapterModule,
} from '@kadapter/core';
import { encodeFile, IGNORE_INDEX } from '@kadapter/data-encode';
import { headKind, parseHeadConfig } from '@kadapter/heads';
import { repoRoot, sharedPath, tinyFixture, useTempDir } from '@kadapter/test-utils';
import { loadTokenizer, type RobertaTokenizer } from '@kadapter/tokenizer';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildSample, firstSentences } from '../scripts/build-sample.js';
import linguistic from '../src/index.js';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const sampleDir = join(packageDir, 'sample');
const tempDir = useTempDir('kadapter-linguistic-');

let tok: RobertaTokenizer;
beforeAll(async () => {
  tok = await loadTokenizer(tinyFixture());
});

describe('the linguistic module', () => {
  it("is a KnowledgeAdapterModule by core's validator, written against this contract major", () => {
    expect(validateKnowledgeAdapterModule(linguistic, '@kadapter/adapter-linguistic')).toBe(linguistic);
    expect(majorVersion(linguistic.contractVersion)).toBe(Number(CONTRACT_VERSION.split('.')[0]));
    expect([linguistic.name, linguistic.maxLength, linguistic.pretraining.name]).toEqual([
      'linguistic',
      64,
      'find_head',
    ]);
  });

  it('resolves by its bare name from the repository root', async () => {
    const loaded = await loadKnowledgeModule('linguistic', { cwd: repoRoot() });
    expect(loaded.source).toBe('@kadapter/adapter-linguistic');
    // the workspace link resolved; the source entry, as this test process runs with --conditions=@kadapter/source
    expect(loaded.entry).toBe(join(packageDir, 'src', 'index.ts'));
    expect(loaded.module).toBe(linguistic);
  });

  it('has the official adapter defaults (core checks their values) without taps', () => {
    expect(linguistic.adapter).not.toHaveProperty('taps');
    expect({ ...linguistic.adapter, taps: [0, 11, 22] }).toEqual(defaultAdapterConfig(24));
  });

  it('names a lin-pretraining head with one class per position, fed by the backbone and the encoded labels', () => {
    const config = linguistic.pretraining.head({ hiddenSize: 1024, maxLength: 64 });
    expect(parseHeadConfig(config, 'linguistic')).toEqual({
      kind: 'lin-pretraining',
      hiddenSize: 1024,
      numClasses: 64,
      dropout: 0.1,
      layerNormEps: 1e-5,
    });
    const kind = headKind(config.kind);
    const { selectors, labels } = linguistic.pretraining.inputs;
    expect(Object.keys(selectors).sort()).toEqual([...kind.selectors].sort());
    expect(Object.keys(labels).sort()).toEqual([...kind.labels].sort());
    expect(selectors).toEqual({ last: { backbone: 'last' }, mask: { backbone: 'mask' } });
    expect(labels).toEqual({ labels: { feature: 'labels' }, mask: { feature: 'attention_mask' } });
    const shapes = linguistic.pretraining.encoder.featureShapes({ tokenizer: tok, maxLen: 64, options: {} });
    expect(shapes).toMatchObject({ labels: [64], attention_mask: [64] });
  });

  it('measures token accuracy over the masked positions', () => {
    const m = linguistic.pretraining.metrics.create();
    // one sequence of 3 positions, 2 classes; argmax 1, 0, 1; gold 1, 1, 0; the last position is masked out
    m.add(
      { shape: [1, 3, 2], data: Float32Array.of(0.1, 0.9, 0.8, 0.2, 0.3, 0.7) },
      {
        labels: { shape: [1, 3], data: Int32Array.of(1, 1, 0) },
        mask: { shape: [1, 3], data: Int32Array.of(1, 1, 0) },
      },
    );
    expect(m.result()).toEqual({ token_accuracy: 1 / 2, tokens: 2 });
  });
});

describe('its bundled sample', () => {
  it('is the start of UD English EWT train and dev in the find_head format, shipped with its license', async () => {
    const sample = linguistic.sample!;
    expect(sample.train).toEqual([join(sampleDir, 'train.json')]);
    expect(sample.dev).toEqual([join(sampleDir, 'dev.json')]);
    expect(sample.license).toBe('CC BY-SA 4.0');
    const train = JSON.parse(await readFile(sample.train[0]!, 'utf8')) as Array<{ sent: string }>;
    const dev = JSON.parse(await readFile(sample.dev![0]!, 'utf8')) as Array<{ sent: string }>;
    expect([train.length, dev.length]).toEqual([300, 100]);
    // the first sentences' `# text` lines in ../shared/data/ud-english-ewt
    const texts = async (split: string, n: number) =>
      firstSentences(await readFile(sharedPath('data', 'ud-english-ewt', `en_ewt-ud-${split}.conllu`), 'utf8'), n)
        .split('\n')
        .filter((l) => l.startsWith('# text = '))
        .map((l) => l.slice('# text = '.length));
    expect(train.map((e) => e.sent)).toEqual(await texts('train', 300));
    expect(dev.map((e) => e.sent)).toEqual(await texts('dev', 100));
    await expect(readFile(join(sampleDir, 'LICENSE.txt'), 'utf8')).resolves.toContain(
      'Attribution-ShareAlike 4.0 International',
    );
    const pkg = JSON.parse(await readFile(join(packageDir, 'package.json'), 'utf8')) as { files: string[] };
    expect(pkg.files).toContain('sample');
  });

  it('cuts whole sentences', () => {
    const text = '# sent_id = a\n1\tA\n\n# sent_id = b\n1\tB\n\n# sent_id = c\n1\tC\n\n';
    expect(firstSentences(text, 2)).toBe('# sent_id = a\n1\tA\n\n# sent_id = b\n1\tB\n\n');
    expect(() => firstSentences(text, 4)).toThrow('fewer than 4 sentences');
  });

  it('is what scripts/build-sample.ts makes from ../shared/data/ud-english-ewt', async () => {
    const out = await tempDir();
    await buildSample(sharedPath('data', 'ud-english-ewt'), out);
    for (const file of ['train.json', 'train.manifest.json', 'dev.json', 'dev.manifest.json']) {
      expect(await readFile(join(out, file), 'utf8'), file).toBe(await readFile(join(sampleDir, file), 'utf8'));
    }
  });

  it('encodes with faithful labels by default, aligned ones through the encoder option', async () => {
    const input = linguistic.sample!.dev![0]!;
    const encoder = linguistic.pretraining.encoder;
    const faithful = await encodeFile({ task: encoder, input, tokenizer: tok, maxLen: 64 });
    const direct = await encodeFile({ task: 'find_head', input, tokenizer: tok, maxLen: 64 });
    expect(faithful.read).toBe(100);
    expect(faithful.skipped).toEqual(direct.skipped);
    for (const [name, t] of direct.tensors) expect(faithful.tensors.get(name), name).toEqual(t);
    const aligned = await encodeFile({
      task: encoder,
      input,
      tokenizer: tok,
      maxLen: 64,
      options: { findHeadLabels: 'aligned' },
    });
    expect(aligned.tensors.get('labels')!.data).toContain(IGNORE_INDEX);
    expect(faithful.tensors.get('labels')!.data).not.toContain(IGNORE_INDEX);
  });
});
