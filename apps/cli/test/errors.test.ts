import { afterEach, describe, expect, it, vi } from 'vitest';
import { runCli } from '../src/index.js';
import { capture } from './capture.js';

// a failure that is not a typed error (a bug, or a tfjs / Node error that got through)
vi.mock('@kadapter/nn/runtime', () => ({
  initBackend: vi.fn(async () => {
    throw new TypeError('cannot read the kernel registry\n    while starting');
  }),
}));

describe('errors that are not typed errors', () => {
  afterEach(() => vi.restoreAllMocks());

  it('print one line "kadapter: error <message>" and exit 2, without a stack', async () => {
    const { err } = capture();
    expect(await runCli(['info'])).toBe(2);
    expect(err.join('')).toBe('kadapter: error cannot read the kernel registry while starting\n');
  });

  it('print the stack too with the global --debug (before or after the command)', async () => {
    for (const args of [
      ['--debug', 'info'],
      ['info', '--debug'],
    ]) {
      const { err } = capture();
      expect(await runCli(args)).toBe(2);
      const text = err.join('');
      expect(text.startsWith('kadapter: error cannot read the kernel registry while starting\n')).toBe(true);
      expect(text).toMatch(/TypeError: cannot read the kernel registry\n\s+while starting\n\s+at /);
      vi.restoreAllMocks();
    }
  });
});
