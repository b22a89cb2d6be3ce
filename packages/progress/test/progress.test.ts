import { describe, expect, it } from 'vitest';
import { createProgress } from '../src/index.js';

function fakeStream(isTTY: boolean) {
  const lines: string[] = [];
  const stream = { isTTY, write: (s: string) => lines.push(s) } as unknown as NodeJS.WriteStream;
  return { stream, lines };
}

describe('createProgress', () => {
  it('writes plain lines with rate and a final line when not on a TTY', () => {
    const { stream, lines } = fakeStream(false);
    const p = createProgress({ label: 'build', total: 4, unit: 'docs', stream, intervalMs: 0 });
    p.tick();
    p.tick(3);
    p.stop();
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^build: 1\/4 docs \([\d.]+ docs\/s(, ETA \d+s)?\)\n$/);
    expect(lines[2]).toMatch(/^build: 4\/4 docs \([\d.]+ docs\/s\) done\n$/);
  });

  it('is silent when asked', () => {
    const { stream, lines } = fakeStream(false);
    const p = createProgress({ label: 'x', stream, silent: true });
    p.tick();
    p.stop();
    expect(lines).toEqual([]);
  });
});
