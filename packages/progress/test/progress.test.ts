import { describe, expect, it } from 'vitest';
import { createProgress } from '../src/index.js';

function fakeStream(isTTY: boolean) {
  const lines: string[] = [];
  const stream = { isTTY, columns: 200, write: (s: string) => lines.push(s) } as unknown as NodeJS.WriteStream;
  return { stream, lines };
}

/** What a terminal shows of the writes: escape sequences removed, each redraw (after \r or a cursor move) on its own. */
function drawn(lines: string[]): string[] {
  return lines
    .join('')
    // biome-ignore lint/suspicious/noControlCharactersInRegex: terminal escape sequences
    .split(/\x1B\[\d*G|\r/)
    // biome-ignore lint/suspicious/noControlCharactersInRegex: terminal escape sequences
    .map((s) => s.replace(/\x1B(\[[\d;?]*[A-Za-z]|[78])/g, '').trim())
    .filter((s) => s.length > 0);
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

  it('on a TTY without a total: the count and a spinner, never a percentage or "n/0"', () => {
    const { stream, lines } = fakeStream(true);
    const p = createProgress({ label: 'encode', unit: 'examples', stream });
    p.tick(800);
    p.tick(2);
    p.stop();
    const screen = drawn(lines);
    expect(screen.at(-1)).toMatch(/^encode [|/\\-] 802 examples \| [\d.]+ examples\/s \| \d+s$/);
    expect(screen.join('\n')).not.toMatch(/%|\/0\b/);
  });

  it('on a TTY with a total (or once setTotal gives one): a bar with percentage and count', () => {
    const { stream, lines } = fakeStream(true);
    const p = createProgress({ label: 'merge', unit: 'examples', stream });
    p.setTotal(4);
    p.tick(2);
    p.stop();
    expect(drawn(lines).at(-1)).toMatch(/^merge \[[^\]]+\] 50% \| 2\/4 examples \|/);
  });

  it('transient: clears the TTY bar and writes no final line when stopped', () => {
    const tty = fakeStream(true);
    const p = createProgress({ label: 'epoch 1/2', total: 3, unit: 'steps', stream: tty.stream, transient: true });
    p.tick(3);
    p.stop();
    expect(drawn(tty.lines).at(-1)).toMatch(/^epoch 1\/2 \[.*\] 100% \| 3\/3 steps/);
    // the last thing written erases the line (ESC [2K) instead of ending it with a newline
    expect(tty.lines.at(-1)).toBe('\x1B[2K');
    expect(tty.lines.join('')).not.toContain('\n');
    const plain = fakeStream(false);
    const q = createProgress({ label: 'epoch 1/2', total: 3, stream: plain.stream, transient: true, intervalMs: 0 });
    q.tick();
    q.stop();
    expect(plain.lines).toEqual([expect.stringMatching(/^epoch 1\/2: 1\/3 items/)]);
  });

  it('is silent when asked', () => {
    const { stream, lines } = fakeStream(false);
    const p = createProgress({ label: 'x', stream, silent: true });
    p.tick();
    p.stop();
    expect(lines).toEqual([]);
  });
});
