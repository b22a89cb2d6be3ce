import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { sharedPath, tinyFixture } from '@kadapter/test-utils';
import { describe, expect, it } from 'vitest';
import { defaultAdapterConfig } from '@kadapter/core';
import { demoData, tinyAdapterConfig } from '../src/index.js';
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

  it('tinyAdapterConfig: the kadapter_tiny sizes of the shipped config.json, the core defaults otherwise, fresh each call', () => {
    const tiny = JSON.parse(readFileSync(join(demoData.model, 'config.json'), 'utf8')).kadapter_tiny;
    const config = tinyAdapterConfig();
    expect(config).toEqual({
      ...defaultAdapterConfig(4),
      taps: tiny.adapter_list,
      adapterSize: tiny.adapter_size,
      layers: tiny.adapter_transformer_layers,
      heads: tiny.adapter_num_attention_heads,
      intermediateSize: tiny.adapter_intermediate_size,
      skip: tiny.adapter_skip_layers,
    });
    expect(config).toMatchObject({ taps: [0, 2, 3], adapterSize: 32, heads: 4, intermediateSize: 64 });
    config.taps.push(9);
    expect(tinyAdapterConfig().taps).toEqual([0, 2, 3]);
  });
});
