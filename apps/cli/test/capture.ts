import { vi } from 'vitest';

/**
 * Captures what a command writes to stdout and stderr (restore with vi.restoreAllMocks()); `onErr`
 * sees each stderr write as it happens.
 */
export function capture(onErr: (text: string) => void = () => {}) {
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((s) => out.push(String(s)) > 0);
  vi.spyOn(process.stderr, 'write').mockImplementation((s) => {
    onErr(String(s));
    return err.push(String(s)) > 0;
  });
  return { out, err };
}
