import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkTensorLeaks, useBackend } from '../src/index.js';

describe('checkTensorLeaks', () => {
  let kept: tf.Tensor;
  beforeAll(async () => {
    await useBackend('cpu');
    kept = tf.ones([2]);
  });
  afterAll(() => kept.dispose());
  checkTensorLeaks();

  it('passes a test that disposes what it makes; beforeAll fixtures do not count', () => {
    const t = tf.add(kept, 1);
    expect(t.shape).toEqual([2]);
    t.dispose();
  });

  it('passes a test that computes in tf.tidy', () => {
    expect(tf.tidy(() => tf.sum(tf.mul(kept, 3)).dataSync()[0])).toBe(6);
  });

  it.fails('fails a test that leaves a tensor behind', () => {
    tf.add(kept, 1);
  });

  it.fails('fails a test that leaves a variable behind', () => {
    tf.tidy(() => tf.variable(tf.zeros([1])));
  });
});
