import { CONTRACT_VERSION } from '@kadapter/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runCli } from '../src/index.js';
import { capture } from './capture.js';

describe('kadapter CLI', () => {
  afterEach(() => vi.restoreAllMocks());

  it('info prints versions and the chosen backend', async () => {
    const { out, err } = capture();
    const code = await runCli(['info']);
    expect(code).toBe(0);
    const info = JSON.parse(out.join(''));
    expect(info.contract).toBe(CONTRACT_VERSION);
    expect(['wasm', 'cpu', 'tensorflow', 'tensorflow-gpu']).toContain(info.backend);
    expect(err.join('')).toContain('kadapter: tfjs backend =');
  });

  it('exits non-zero on an unknown command', async () => {
    capture();
    expect(await runCli(['no-such-command'])).not.toBe(0);
  });
});
