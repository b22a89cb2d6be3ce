import { describe, expect, it } from 'vitest';
import {
  CONTRACT_VERSION,
  ConfigError,
  ContractError,
  defaultAdapterConfig,
  isKAdapterError,
  KAdapterError,
  validateKnowledgeAdapterModule,
} from '../src/index.js';

const encoder = {
  name: 'pairs',
  description: 'word pairs',
  featureShapes: () => ({ input_ids: [4] }),
  parse: (r: { value: unknown }) => r.value,
  segments: () => [],
  build: () => ({ skip: 'empty' }),
};
const task = {
  name: 'pairs',
  description: 'word-pair classification',
  encoder,
  head: () => ({ kind: 'relation-classification', hiddenSize: 8, labels: ['a'], dropout: 0.1 }),
  inputs: { selectors: { subj: { feature: 'subj_marker' } }, labels: { labels: { feature: 'labels' } } },
  metrics: {
    names: ['accuracy'],
    primary: { name: 'accuracy', higherIsBetter: true },
    create: () => ({ add() {}, result: () => ({}) }),
  },
};

describe('validateKnowledgeAdapterModule', () => {
  const good = {
    name: 'lexical',
    contractVersion: CONTRACT_VERSION,
    description: 'lexical relations',
    adapter: defaultAdapterConfig(),
    pretraining: task,
  };

  it('accepts a module that implements the contract', () => {
    expect(validateKnowledgeAdapterModule(good, '@acme/adapter-lexical')).toBe(good);
  });

  it('refuses another contract major version, naming the module', () => {
    expect(() =>
      validateKnowledgeAdapterModule({ ...good, contractVersion: '1.0.0' }, '@acme/adapter-lexical'),
    ).toThrow(/'@acme\/adapter-lexical' declares contract version 1.0.0, this @kadapter\/core implements 2\./);
  });

  it('names what is missing', () => {
    expect(() =>
      validateKnowledgeAdapterModule(
        { ...good, pretraining: { ...task, encoder: { ...encoder, build: undefined } } },
        './x',
      ),
    ).toThrow("knowledge-adapter module './x' pretraining encoder lacks 'build()'");
    expect(() =>
      validateKnowledgeAdapterModule({ ...good, pretraining: { ...task, metrics: undefined } }, './x'),
    ).toThrow("'metrics'");
    expect(() => validateKnowledgeAdapterModule(undefined, './y')).toThrow(ContractError);
    expect(() => validateKnowledgeAdapterModule(() => good, './z')).toThrow(
      'does not default-export an object (got function)',
    );
  });
});

describe('errors', () => {
  it('carry a code and a location in the message', () => {
    const e = new ConfigError('must be positive', { file: 'adapter_config.json', field: 'adapterSize' });
    expect(e).toBeInstanceOf(KAdapterError);
    expect(e.code).toBe('E_CONFIG');
    expect(e.name).toBe('ConfigError');
    expect(e.message).toBe("adapter_config.json, field 'adapterSize': must be positive");
    expect(isKAdapterError(e, 'E_CONFIG')).toBe(true);
    expect(isKAdapterError(e, 'E_FORMAT')).toBe(false);
  });

  it('name the line of a text file', () => {
    const e = new KAdapterError('E_DATA', 'expected 10 columns, got 9', { file: 'a.conllu', line: 12 });
    expect(e.message).toBe('a.conllu:12: expected 10 columns, got 9');
  });

  it('name the byte offset, and both line and offset where both are known', () => {
    expect(new KAdapterError('E_FORMAT', 'bad', { file: 'a.json', offset: 7 }).message).toBe('a.json @byte 7: bad');
    expect(new KAdapterError('E_FORMAT', 'bad', { file: 'a.json', line: 2, offset: 7 }).message).toBe(
      'a.json:2 @byte 7: bad',
    );
  });
});

describe('defaultAdapterConfig', () => {
  it('has the official values', () => {
    expect(defaultAdapterConfig()).toEqual({
      taps: [0, 11, 22],
      adapterSize: 768,
      layers: 2,
      heads: 12,
      intermediateSize: 3072,
      layerNormEps: 1e-5,
      dropout: 0.1,
      skip: 0,
      maskPadding: false,
      initRange: 0.0002,
    });
  });
});
