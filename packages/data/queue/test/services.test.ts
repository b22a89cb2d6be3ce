import { findServiceBinary } from '@kadapter/test-utils';
import { describe, expect, it, vi } from 'vitest';

describe('findServiceBinary (the test-utils helper behind the redis tests)', () => {
  it('a missing service gives a skip note with the install command', () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    const found = findServiceBinary('kadapter-no-such-service', 'apt-get install x', { PATH: '/nonexistent' });
    expect(found).toEqual({
      command: 'kadapter-no-such-service',
      skipNote: 'kadapter-no-such-service is not installed (install it with: apt-get install x)',
    });
  });

  it('under KADAPTER_REQUIRE_SERVICES=1 a missing service fails', () => {
    expect(() =>
      findServiceBinary('kadapter-no-such-service', 'apt-get install x', {
        PATH: '/nonexistent',
        KADAPTER_REQUIRE_SERVICES: '1',
      }),
    ).toThrow(/not installed \(install it with: apt-get install x\); KADAPTER_REQUIRE_SERVICES=1/);
  });

  it('finds an installed executable on PATH', () => {
    expect(
      findServiceBinary('node', 'apt-get install nodejs', { PATH: `/nonexistent:${process.env.PATH}` }).path,
    ).toMatch(/\/node$/);
  });
});
