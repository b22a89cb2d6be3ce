import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CONTRACT_VERSION,
  defaultAdapterConfig,
  type EncodeContext,
  loadKnowledgeModule,
  majorVersion,
  validateKnowledgeAdapterModule,
} from '@kadapter/core';
import { encodeFile } from '@kadapter/data-encode';
import { buildTrexDataset, OFFICIAL_TREX_RELATIONS, readTrexManifest } from '@kadapter/data-trex';
import { headKind, parseHeadConfig } from '@kadapter/heads';
import { expectError, repoRoot, sharedPath, tinyFixture, useTempDir } from '@kadapter/test-utils';
import { loadTokenizer, type RobertaTokenizer } from '@kadapter/tokenizer';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildSample } from '../scripts/build-sample.js';
import factual, { createFactualModule } from '../src/index.js';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const sampleDir = join(packageDir, 'sample');
const tempDir = useTempDir('kadapter-factual-');
const readLines = async (file: string) =>
  (await readFile(file, 'utf8'))
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { relation: string });

let tok: RobertaTokenizer;
beforeAll(async () => {
  tok = await loadTokenizer(tinyFixture());
});

describe('the factual module', () => {
  it("is a KnowledgeAdapterModule by core's validator, written against this contract major", () => {
    expect(validateKnowledgeAdapterModule(factual, '@kadapter/adapter-factual')).toBe(factual);
    expect(majorVersion(factual.contractVersion)).toBe(Number(CONTRACT_VERSION.split('.')[0]));
    expect([factual.name, factual.maxLength, factual.pretraining.name]).toEqual(['factual', 64, 'trex']);
  });

  it('resolves by its bare name from the repository root', async () => {
    const loaded = await loadKnowledgeModule('factual', { cwd: repoRoot() });
    expect(loaded.source).toBe('@kadapter/adapter-factual');
    // the workspace link resolved; the source entry, as this test process runs with --conditions=@kadapter/source
    expect(loaded.entry).toBe(join(packageDir, 'src', 'index.ts'));
    expect(loaded.module).toBe(factual);
  });

  it('has the official adapter defaults (core checks their values) without taps', () => {
    expect(factual.adapter).not.toHaveProperty('taps');
    expect({ ...factual.adapter, taps: [0, 11, 22] }).toEqual(defaultAdapterConfig(24));
  });

  it('names a fac-pretraining head its kind accepts, fed by features the encoder writes', () => {
    const config = factual.pretraining.head({ hiddenSize: 1024, maxLength: 64, labels: OFFICIAL_TREX_RELATIONS });
    expect(parseHeadConfig(config, 'factual')).toEqual({
      kind: 'fac-pretraining',
      hiddenSize: 1024,
      labels: [...OFFICIAL_TREX_RELATIONS],
      dropout: 0.1,
    });
    const kind = headKind(config.kind);
    const { selectors, labels } = factual.pretraining.inputs;
    expect(Object.keys(selectors).sort()).toEqual([...kind.selectors].sort());
    expect(Object.keys(labels).sort()).toEqual([...kind.labels].sort());
    const shapes = factual.pretraining.encoder.featureShapes({ tokenizer: tok, maxLen: 64, options: {} });
    const features = [...Object.values(selectors), ...Object.values(labels)].flatMap((s) =>
      'feature' in s ? [s.feature] : [],
    );
    expect(features.sort()).toEqual(['labels', 'obj_marker', 'subj_marker']);
    for (const f of features) expect(shapes).toHaveProperty(f);
    expect(() => factual.pretraining.head({ hiddenSize: 1024, maxLength: 64 })).toThrow('needs the relation labels');
  });

  it('measures accuracy: argmax of the logits against the relation ids', () => {
    const m = factual.pretraining.metrics.create();
    // argmax rows: 1, 0, 1 against gold 1, 1, 1
    m.add(
      { shape: [3, 2], data: Float32Array.of(0.1, 0.9, 0.8, 0.2, 0.3, 0.7) },
      { labels: { shape: [3], data: Int32Array.of(1, 1, 1) } },
    );
    expect(m.result()).toEqual({ accuracy: 2 / 3, examples: 3 });
    expect(factual.pretraining.metrics.primary).toEqual({ name: 'accuracy', higherIsBetter: true });
  });
});

describe('its bundled sample', () => {
  it('is the T-REx sample built by @kadapter/data-trex (official labels, min count 1, seed 42), shipped with its license', async () => {
    const sample = factual.sample!;
    expect(sample.train).toEqual([join(sampleDir, 'train-00000-of-00001.jsonl')]);
    expect(sample.dev).toEqual([join(sampleDir, 'dev-00000-of-00001.jsonl')]);
    expect(sample.license).toBe('CC BY-SA 4.0');
    const manifest = await readTrexManifest(sampleDir);
    expect(manifest.inputs.map((i) => [i.path, i.sha256])).toEqual([
      // ../shared/data/trex/README.md
      ['sample-output.json', '2f1f31295aadf7ba1bbd3abb94d34c2f9041eafe7287f31e6fde5e4313f8d738'],
    ]);
    expect(manifest.options).toMatchObject({ minCount: 1, labelSource: 'official', seed: '42', devFraction: 0.1 });
    expect(manifest.labels).toEqual([...OFFICIAL_TREX_RELATIONS]);
    for (const split of ['train', 'dev'] as const) {
      for (const shard of manifest.splits[split].shards) {
        const bytes = await readFile(join(sampleDir, shard.file));
        expect(createHash('sha256').update(bytes).digest('hex')).toBe(shard.sha256);
      }
    }
    // 99 cleaned examples (../shared/data/trex/README.md) less the 3 of P729, which is not an official relation
    const train = await readLines(sample.train[0]!);
    const dev = await readLines(sample.dev![0]!);
    expect([train.length, dev.length]).toEqual([86, 10]);
    expect([...train, ...dev].filter((e) => !OFFICIAL_TREX_RELATIONS.includes(e.relation))).toEqual([]);
    await expect(readFile(join(sampleDir, 'LICENSE-CC-BY-SA-4.0.txt'), 'utf8')).resolves.toContain(
      'Attribution-ShareAlike 4.0 International',
    );
    const pkg = JSON.parse(await readFile(join(packageDir, 'package.json'), 'utf8')) as { files: string[] };
    expect(pkg.files).toContain('sample');
  });

  it('is what scripts/build-sample.ts makes from ../shared/data/trex', async () => {
    const out = await tempDir();
    await buildSample(sharedPath('data', 'trex', 'sample-output.json'), out);
    for (const file of ['train-00000-of-00001.jsonl', 'dev-00000-of-00001.jsonl', 'relations.json', 'manifest.json']) {
      expect(await readFile(join(out, file), 'utf8'), file).toBe(await readFile(join(sampleDir, file), 'utf8'));
    }
  });

  it('encodes with the module encoder exactly as with the trex encoder, labelled by the official list', async () => {
    const input = factual.sample!.train[0]!;
    const viaModule = await encodeFile({ task: factual.pretraining.encoder, input, tokenizer: tok, maxLen: 64 });
    const viaTrex = await encodeFile({ task: 'trex', input, tokenizer: tok, maxLen: 64 });
    expect(viaModule.labels).toEqual(OFFICIAL_TREX_RELATIONS);
    expect(viaModule.read).toBe(86);
    expect(viaModule.skipped).toEqual(viaTrex.skipped);
    expect([...viaModule.tensors.keys()].sort()).toEqual([...viaTrex.tensors.keys()].sort());
    for (const [name, t] of viaTrex.tensors) expect(viaModule.tensors.get(name), name).toEqual(t);
    const records = await readLines(input);
    const expected = [...viaModule.exampleIndex].map((i) => OFFICIAL_TREX_RELATIONS.indexOf(records[i]!.relation));
    expect([...viaModule.tensors.get('labels')!.data]).toEqual(expected);
  });
});

describe('relation labels', () => {
  /** A dataset built from the T-REx sample with derived labels: 8 relations, P729 among them. */
  async function derivedDataset(): Promise<{ dir: string; labels: string[] }> {
    const dir = await tempDir();
    await buildTrexDataset({
      inputs: [sharedPath('data', 'trex', 'sample-output.json')],
      outDir: dir,
      minCount: 1,
      workers: 0,
      progress: { silent: true },
    });
    return { dir, labels: (await readTrexManifest(dir)).labels };
  }

  it("'dataset' labels with the manifest's derived list, from the directory or from a shard beside it", async () => {
    const { dir, labels } = await derivedDataset();
    expect(labels).toContain('P729');
    const task = createFactualModule({ labels: 'dataset' }).pretraining;
    const fromDir = await encodeFile({ task: task.encoder, input: dir, split: 'train', tokenizer: tok, maxLen: 64 });
    expect(fromDir.labels).toEqual(labels);
    const shard = join(dir, (await readTrexManifest(dir)).splits.train.shards[0]!.file);
    const fromShard = await encodeFile({ task: task.encoder, input: shard, tokenizer: tok, maxLen: 64 });
    expect(fromShard.labels).toEqual(labels);
    expect(fromShard.tensors.get('labels')).toEqual(fromDir.tensors.get('labels'));
    expect(parseHeadConfig(task.head({ hiddenSize: 64, maxLength: 64, labels: fromShard.labels }))).toMatchObject({
      labels,
    });
  });

  it("'dataset' needs a build-data directory", async () => {
    const task = createFactualModule({ labels: 'dataset' }).pretraining;
    // the released trex-rc form: one JSON array, no manifest
    const released = join(await tempDir(), 'train.json');
    const lines = (await readFile(factual.sample!.dev![0]!, 'utf8')).trim().split('\n');
    await writeFile(released, `[${lines.join(',\n')}]\n`);
    await expectError(
      encodeFile({ task: task.encoder, input: released, tokenizer: tok, maxLen: 64 }),
      'E_CONFIG',
      released,
      "relation labels 'dataset' take the label list of data built by `kadapter build-data trex`, and there is no manifest.json beside it",
    );
    const ctx = { tokenizer: tok, maxLen: 64, options: {} } as EncodeContext;
    expect(() => task.encoder.labelNames?.(ctx)).toThrow("relation labels 'dataset': no label list yet");
  });

  it('the default refuses data that comes with another label list instead of silently using it', async () => {
    const { dir } = await derivedDataset();
    await expectError(
      encodeFile({ task: factual.pretraining.encoder, input: dir, split: 'train', tokenizer: tok, maxLen: 64 }),
      'E_CONFIG',
      'the factual module classifies into the official 410 T-REx relations, but the data comes with another label list of 8',
      "createFactualModule({ labels: 'dataset' })",
    );
  });

  it('the default takes a directory built with the official relations (its relations.json is that list)', async () => {
    const encoded = await encodeFile({
      task: factual.pretraining.encoder,
      input: sampleDir,
      split: 'dev',
      tokenizer: tok,
      maxLen: 64,
    });
    expect(encoded.read).toBe(10);
    expect(encoded.labels).toEqual(OFFICIAL_TREX_RELATIONS);
  });

  it('a given list is used as it is; an empty or repeated one is refused', async () => {
    const task = createFactualModule({ labels: ['P17', 'P47', 'P37', 'P530', 'P2341', 'P38', 'P527'] }).pretraining;
    const encoded = await encodeFile({
      task: task.encoder,
      input: factual.sample!.dev![0]!,
      tokenizer: tok,
      maxLen: 64,
    });
    expect(encoded.labels).toEqual(['P17', 'P47', 'P37', 'P530', 'P2341', 'P38', 'P527']);
    expect(() => createFactualModule({ labels: ['P17', 'P17'] })).toThrow('without duplicates');
    expect(() => createFactualModule({ labels: [] })).toThrow('non-empty');
  });
});
