import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sharedPath, useTempDir } from '@kadapter/test-utils';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { runCli } from '../src/index.js';
import { capture } from './capture.js';

const tempDir = useTempDir('kadapter-cli-build-data-');
let dir = '';
beforeAll(async () => {
  dir = await tempDir();
});

const SAMPLE = sharedPath('data', 'trex', 'sample-output.json');

const json = (path: string) => JSON.parse(readFileSync(path, 'utf8'));

/** `kadapter build-data trex` on the sample into `out`, quiet, plus `extra` flags. */
const trex = (out: string, ...extra: string[]) =>
  runCli(['build-data', 'trex', '--input', SAMPLE, '--out', out, '--quiet', ...extra]);

describe('kadapter build-data', () => {
  afterEach(() => vi.restoreAllMocks());

  it('trex: builds the sample with --min-count 1 into shards, relations.json and manifest.json', async () => {
    const out = join(dir, 'trex');
    const { out: stdout } = capture();
    const code = await trex(out, '--min-count', '1', '--seed', '7');
    expect(code).toBe(0);
    const summary = JSON.parse(stdout.join(''));
    // counts of the official cleaning on the sample (../shared/fixtures/trex-clean/README.md)
    expect(summary).toMatchObject({ documents: 2, triples: 112, cleaned: 99, kept: 99, train: 89, dev: 10, labels: 8 });
    const manifest = json(join(out, 'manifest.json'));
    expect(manifest.options).toMatchObject({ seed: '7', minCount: 1, devFraction: 0.1, labelSource: 'derived' });
    expect(json(join(out, 'relations.json'))).toEqual(
      json(sharedPath('fixtures', 'trex-clean', 'counts.json')).subdataset.min1.notebook_relations_json,
    );
    const lines = readFileSync(join(out, manifest.splits.train.shards[0].file), 'utf8').trim().split('\n');
    expect(lines).toHaveLength(89);
  });

  it('trex: the default --min-count 50 keeps nothing on the sample and warns', async () => {
    const { err } = capture();
    expect(await trex(join(dir, 'min50'))).toBe(0);
    expect(err.join('')).toMatch(/no examples kept \(99 below --min-count 50\)/);
  });

  it('trex: --relations official --strict fails on P729 with the typed error code', async () => {
    const { err } = capture();
    const code = await trex(join(dir, 'strict'), '--min-count', '1', '--relations', 'official', '--strict');
    expect(code).toBe(2);
    expect(err.join('')).toMatch(/E_DATA: .*sample-output\.json @byte \d+, field 'predicate\.uri': .*relation P729/);
  });

  it('trex: rejects a bad --dev-fraction', async () => {
    capture();
    expect(await trex(join(dir, 'x'), '--dev-fraction', '2')).not.toBe(0);
  });

  it('find-head: converts UD EWT dev (2,001 sentences, 25,147 words per its README)', async () => {
    const out = join(dir, 'find_head', 'dev.json');
    const { out: stdout } = capture();
    const input = sharedPath('data', 'ud-english-ewt', 'en_ewt-ud-dev.conllu');
    expect(await runCli(['build-data', 'find-head', '--input', input, '--out', out, '--quiet'])).toBe(0);
    expect(JSON.parse(stdout.join(''))).toMatchObject({
      sentences: 2001,
      written: 2001,
      words: 25147,
      multiwordTokens: 359,
    });
    expect(json(out)).toHaveLength(2001);
    expect(json(join(dir, 'find_head', 'dev.manifest.json')).inputs[0].format).toBe('conllu');
  });
});
