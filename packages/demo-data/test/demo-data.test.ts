import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { sharedPath, tinyFixture } from '@kadapter/test-utils';
import { describe, expect, it } from 'vitest';
import { demoData } from '../src/index.js';
import { join } from 'node:path';

const sha = (p: string) => createHash('sha256').update(readFileSync(p)).digest('hex');

describe('demo data', () => {
  it('ships the tiny model byte-identical to the reference fixture', () => {
    for (const f of ['config.json', 'model.safetensors', 'tokenizer.json', 'vocab.json', 'merges.txt']) {
      expect(sha(join(demoData.model, f)), f).toBe(sha(tinyFixture(f)));
    }
  });

  it('ships the T-REx sample unchanged', () => {
    expect(sha(demoData.trexSample)).toBe(sha(sharedPath('data', 'trex', 'sample-output.json')));
  });

  it('ships a prefix of UD EWT dev made of whole sentences', () => {
    const full = readFileSync(sharedPath('data', 'ud-english-ewt', 'en_ewt-ud-dev.conllu'), 'utf8');
    const part = readFileSync(demoData.udEwt, 'utf8');
    expect(full.startsWith(part)).toBe(true);
    expect(part.match(/^# sent_id = /gm)).toHaveLength(200);
  });

  it('ships a prefix of CosmosQA valid.csv with its header and 100 rows', () => {
    const full = readFileSync(sharedPath('data', 'cosmosqa', 'valid.csv'), 'utf8');
    const part = readFileSync(demoData.cosmosqa, 'utf8');
    expect(full.startsWith(part)).toBe(true);
    expect(part.split('\r\n')).toHaveLength(101);
  });
});
