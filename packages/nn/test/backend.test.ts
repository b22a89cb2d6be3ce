import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { BackendError } from '@kadapter/core';
import { initBackend } from '../src/runtime/index.js';

const notFound = (s: string) =>
  Object.assign(new Error(`Cannot find package '${s}'`), { code: 'ERR_MODULE_NOT_FOUND' });

describe('initBackend', () => {
  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  it('falls back to wasm with one notice when the native packages are absent', async () => {
    const lines: string[] = [];
    const report = await initBackend({
      env: {},
      log: (l) => lines.push(l),
      importModule: async (s) => {
        throw notFound(s);
      },
    });
    expect(report.choice).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(report.forced).toBe(false);
    expect(lines).toEqual([
      'kadapter: @tensorflow/tfjs-node-gpu and @tensorflow/tfjs-node not installed (optional); using wasm',
      'kadapter: tfjs backend = wasm',
    ]);
  });

  it('honours KADAPTER_BACKEND and reports it', async () => {
    const lines: string[] = [];
    const report = await initBackend({ env: { KADAPTER_BACKEND: 'cpu' }, log: (l) => lines.push(l) });
    expect(report).toMatchObject({ choice: 'cpu', tfBackend: 'cpu', forced: true });
    expect(lines).toEqual(['kadapter: tfjs backend = cpu (forced by KADAPTER_BACKEND)']);
  });

  it('rejects an unknown backend name with a typed error', async () => {
    await expect(initBackend({ env: { KADAPTER_BACKEND: 'webgpu' }, log: () => {} })).rejects.toThrow(BackendError);
    await expect(initBackend({ env: { KADAPTER_BACKEND: 'webgpu' }, log: () => {} })).rejects.toThrow(
      /unknown backend 'webgpu'/,
    );
  });

  it('fails clearly when a forced native backend is not installed', async () => {
    const err = await initBackend({
      env: { KADAPTER_BACKEND: 'tensorflow' },
      log: () => {},
      importModule: async (s) => {
        throw notFound(s);
      },
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BackendError);
    expect((err as Error).message).toMatch(/backend 'tensorflow' could not be initialised/);
  });

  it('moves on when a native package is installed but broken', async () => {
    const lines: string[] = [];
    const report = await initBackend({
      env: {},
      log: (l) => lines.push(l),
      importModule: async (s) => {
        if (s.endsWith('-gpu')) throw notFound(s);
        throw new Error('libtensorflow.so.2: cannot open shared object file');
      },
    });
    expect(report.choice).toBe('wasm');
    expect(lines[0]).toBe(
      'kadapter: backend tensorflow failed (libtensorflow.so.2: cannot open shared object file); trying the next one',
    );
  });
});
