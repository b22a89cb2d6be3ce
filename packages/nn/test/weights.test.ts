import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { ShapeError, WeightsError } from '@kadapter/core';
import { bertLayerDef, linearDef, ParamSet, prefixed, record, verifyWeights, weightSpec } from '../src/index.js';

const shaped = (entries: Array<[string, number[]]>) => new Map(entries.map(([n, s]) => [n, { shape: s }]));

describe('verifyWeights', () => {
  const spec = weightSpec(record({ dense: linearDef(4, 3) }));

  it('accepts exactly the expected tensors', () => {
    expect(() =>
      verifyWeights(
        shaped([
          ['dense.weight', [3, 4]],
          ['dense.bias', [3]],
        ]),
        spec,
        'x.safetensors',
      ),
    ).not.toThrow();
  });

  it('names every missing and unexpected tensor in one error', () => {
    const err = (() => {
      try {
        verifyWeights(
          shaped([
            ['dense.weight', [3, 4]],
            ['extra.a', [1]],
            ['extra.b', [1]],
          ]),
          spec,
          'x.safetensors',
        );
      } catch (e) {
        return e;
      }
    })() as WeightsError;
    expect(err).toBeInstanceOf(WeightsError);
    expect(err.missing).toEqual(['dense.bias']);
    expect(err.unexpected).toEqual(['extra.a', 'extra.b']);
    expect(err.message).toContain('x.safetensors');
    expect(err.message).toContain('missing 1: dense.bias');
  });

  it('reports a misshaped tensor with both shapes', () => {
    expect(() =>
      verifyWeights(
        shaped([
          ['dense.weight', [4, 3]],
          ['dense.bias', [3]],
        ]),
        spec,
        'x.safetensors',
      ),
    ).toThrow(ShapeError);
    expect(() =>
      verifyWeights(
        shaped([
          ['dense.weight', [4, 3]],
          ['dense.bias', [3]],
        ]),
        spec,
        'x.safetensors',
      ),
    ).toThrow('dense.weight is [4,3], expected [3,4]');
  });

  it('lets callers ignore tensors they handle elsewhere', () => {
    const actual = shaped([
      ['dense.weight', [3, 4]],
      ['dense.bias', [3]],
      ['head.out_proj.weight', [2, 3]],
    ]);
    expect(() => verifyWeights(actual, spec, 'f', (n) => n.startsWith('head.'))).not.toThrow();
  });

  it('lists the 16 tensors of a BERT layer', () => {
    const spec = weightSpec(bertLayerDef(8, 16), 'l');
    expect([...spec.entries()]).toContainEqual(['l.intermediate.dense.weight', [16, 8]]);
    expect(spec.size).toBe(16);
  });
});

describe('ParamSet reading and writing', () => {
  it('transposes linear weights to tfjs layout and back', () => {
    const w = tf.tensor2d([
      [1, 2, 3],
      [4, 5, 6],
    ]); // torch [out=2, in=3]
    const def = record({ d: linearDef(3, 2) });
    const named = new Map<string, tf.Tensor>([
      ['d.weight', w],
      ['d.bias', tf.tensor1d([7, 8])],
    ]);
    const set = ParamSet.fromWeights(def, named, 'f');
    expect(set.params.d.weight.shape).toEqual([3, 2]);
    expect(set.weights().get('d.weight')?.arraySync()).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(() => ParamSet.fromWeights(prefixed('missing', linearDef(3, 2)), named, 'f')).toThrow(WeightsError);
  });
});
