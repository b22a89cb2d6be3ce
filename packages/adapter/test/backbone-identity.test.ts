import { createHash } from 'node:crypto';
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readBackboneInfo } from '@kadapter/backbone';
import type { BackboneInfo } from '@kadapter/core';
import { loadSafetensors, saveSafetensors } from '@kadapter/io';
import {
  checkTensorLeaks,
  expectError,
  TINY_BACKBONE_INFO,
  tinyFixture,
  useBackend,
  useTempDir,
} from '@kadapter/test-utils';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADAPTER_CONFIG_FILE, backboneRef, KAdapterStack, loadAdapter, saveAdapter } from '../src/index.js';
import { TINY_CONFIG, TINY_HIDDEN } from './fixture.js';

const tempDir = useTempDir('kadapter-adapter-identity-');
const COMMIT_A = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
const COMMIT_B = 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb';

/** A model directory at `dir` with the tiny fixture's config and weights. */
async function modelCopy(dir: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  for (const f of ['config.json', 'model.safetensors']) await copyFile(tinyFixture(f), join(dir, f));
  return dir;
}

describe('which backbone an adapter may run on', () => {
  checkTensorLeaks();
  let fac: KAdapterStack;
  let root: string;
  let tinySha: string;
  /** the tiny weights with one value changed: same architecture, other content */
  let otherWeights: string;
  let notices: string[];
  const log = (line: string) => notices.push(line);

  beforeAll(async () => {
    await useBackend('cpu');
    fac = KAdapterStack.create('fac', TINY_CONFIG, TINY_HIDDEN, { seed: 1 });
    root = await tempDir();
    tinySha = createHash('sha256')
      .update(await readFile(tinyFixture('model.safetensors')))
      .digest('hex');
    otherWeights = join(root, 'other-weights');
    await mkdir(otherWeights);
    await copyFile(tinyFixture('config.json'), join(otherWeights, 'config.json'));
    const named = await loadSafetensors(tinyFixture('model.safetensors'));
    const bias = 'roberta.encoder.layer.0.output.dense.bias';
    const changed = tf.add(named.get(bias) as tf.Tensor, 1);
    named.get(bias)?.dispose();
    named.set(bias, changed);
    await saveSafetensors(join(otherWeights, 'model.safetensors'), named);
    tf.dispose([...named.values()]);
  });
  afterAll(() => fac.dispose());

  /** Saves `fac` as trained on `info` and returns the directory. */
  async function adapterOn(info: BackboneInfo, name: string): Promise<string> {
    const dir = join(root, name);
    await saveAdapter(dir, fac, { backbone: backboneRef(info) });
    return dir;
  }

  it('an adapter trained on a local copy loads on the same weights in a Hugging Face cache snapshot', async () => {
    const local = await readBackboneInfo(await modelCopy(join(root, 'my-roberta')));
    const snapshot = await modelCopy(join(root, 'hub', 'models--me--tiny', 'snapshots', COMMIT_A));
    const dir = await adapterOn(local, 'from-local');
    notices = [];
    const { stack } = await loadAdapter(dir, { backbone: await readBackboneInfo(snapshot), log });
    stack.dispose();
    expect(notices).toEqual([]); // same weights: the folder names do not matter
  });

  it('records the architecture and the content hash of the weights in adapter_config.json', async () => {
    const info = await readBackboneInfo(tinyFixture());
    const dir = await adapterOn(info, 'recorded');
    const meta = JSON.parse(await readFile(join(dir, ADAPTER_CONFIG_FILE), 'utf8'));
    expect(meta.backbone).toEqual({ ...TINY_BACKBONE_INFO, contentHash: `sha256:${tinySha}` });
    expect(await readFile(join(dir, 'README.md'), 'utf8')).toContain(`sha256:${tinySha}`);
  });

  it('a name-only difference is one notice line when the weights cannot be compared, never an error', async () => {
    const info = await readBackboneInfo(tinyFixture());
    const { contentHash: _, ...noHash } = info;
    const dir = await adapterOn({ ...noHash, name: 'roberta-tiny-v0' }, 'named');
    notices = [];
    const { stack } = await loadAdapter(dir, { backbone: info, log });
    stack.dispose();
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatch(/trained on a backbone named 'roberta-tiny-v0'.*this one is 'kadapter-tiny'/);
    expect(notices[0]).not.toContain('\n');
  });

  it('refuses other weights and another architecture, naming each difference', async () => {
    const dir = await adapterOn(await readBackboneInfo(tinyFixture()), 'strict');
    const other = await readBackboneInfo(otherWeights);
    await expectError(
      loadAdapter(dir, { backbone: other }),
      'E_CONFIG',
      dir,
      `weights (SHA-256): adapter sha256:${tinySha}, backbone ${other.contentHash}`,
    );
    const info = await readBackboneInfo(tinyFixture());
    const cases: Array<[Partial<BackboneInfo>, string]> = [
      [{ modelType: 'bert' }, "model type: adapter 'roberta', backbone 'bert'"],
      [{ hiddenSize: 768 }, 'hidden size: adapter 64, backbone 768'],
      [{ numHeads: 8 }, 'attention heads: adapter 4, backbone 8'],
      [{ vocabSize: 50265 }, 'vocabulary: adapter 534, backbone 50265'],
      [{ maxPositions: 514 }, 'positions: adapter 130, backbone 514'],
      [{ numLayers: 2 }, 'layers: adapter 4, backbone 2'],
    ];
    for (const [change, message] of cases) {
      await expectError(loadAdapter(dir, { backbone: { ...info, ...change } }), 'E_CONFIG', message);
    }
  });

  it('reads adapter dirs written before content hashes (name + revision only), refusing only real differences', async () => {
    const dir = await adapterOn(await readBackboneInfo(tinyFixture()), 'old');
    const file = join(dir, ADAPTER_CONFIG_FILE);
    const meta = JSON.parse(await readFile(file, 'utf8'));
    // what kadapter wrote before: the directory name, and 'sha256:' + 16 hex digits of the weights
    const old = { name: 'kadapter-tiny', hiddenSize: 64, numLayers: 4, revision: `sha256:${tinySha.slice(0, 16)}` };
    await writeFile(file, JSON.stringify({ ...meta, backbone: old }));
    const snapshot = await modelCopy(join(root, 'hub2', 'models--me--tiny', 'snapshots', COMMIT_A));
    notices = [];
    for (const d of [tinyFixture(), snapshot]) {
      const { stack } = await loadAdapter(dir, { backbone: await readBackboneInfo(d), log });
      stack.dispose();
    }
    expect(notices).toEqual([]);
    const other = (await readBackboneInfo(otherWeights)).contentHash;
    await expectError(
      loadAdapter(dir, { backbone: await readBackboneInfo(otherWeights) }),
      'E_CONFIG',
      `weights (SHA-256): adapter sha256:${tinySha.slice(0, 16)}, backbone ${other}`,
    );

    // an old adapter trained on a Hub snapshot recorded the commit: another commit is a notice
    await writeFile(file, JSON.stringify({ ...meta, backbone: { ...old, name: 'me/tiny', revision: COMMIT_B } }));
    notices = [];
    const { stack } = await loadAdapter(dir, { backbone: await readBackboneInfo(snapshot), log });
    stack.dispose();
    expect(notices).toHaveLength(1);
    expect(notices[0]).toContain(`revision ${COMMIT_B}`);
    expect(notices[0]).toContain(COMMIT_A);
  });
});
