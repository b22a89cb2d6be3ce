import { describe, expect, it } from 'vitest';
import { type PickleCallable, PickleTruncatedError, unpickle, type UnpickleOptions } from '../src/pickle.js';

/** Assembles pickle bytes from opcode characters, numbers (single bytes) and byte arrays. */
function bytes(...parts: (string | number | number[])[]): Uint8Array {
  const out: number[] = [];
  for (const p of parts) {
    if (typeof p === 'number') out.push(p);
    else if (typeof p === 'string') out.push(...new TextEncoder().encode(p));
    else out.push(...p);
  }
  return Uint8Array.from(out);
}

const u32 = (n: number) => [n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, (n >>> 24) & 0xff];

const noGlobals: UnpickleOptions = {
  file: 'test.pkl',
  findGlobal: () => {
    throw new Error('no globals expected');
  },
  persistentLoad: () => {
    throw new Error('no persistent ids expected');
  },
};

describe('restricted unpickler', () => {
  it('decodes the value opcodes torch checkpoints use', () => {
    // {'a': (1, -2, 300, 2**40, -1.5, None, True, False), 'b': [u'é', b'\x01\x02', 'py2str'], 7: 'a'}
    const p = bytes(
      0x80,
      2,
      '}q',
      0, // EMPTY_DICT, BINPUT 0
      '(', // MARK
      'X',
      u32(1),
      'a', // BINUNICODE 'a'
      'q',
      1,
      '(K',
      1, // MARK, BININT1 1
      'J',
      u32(-2 >>> 0), // BININT -2
      'M',
      [0x2c, 0x01], // BININT2 300
      0x8a,
      6,
      [0, 0, 0, 0, 0, 1], // LONG1 2**40
      'G',
      [0xbf, 0xf8, 0, 0, 0, 0, 0, 0], // BINFLOAT -1.5 (big-endian)
      'N',
      0x88,
      0x89,
      't', // TUPLE
      0x8c,
      1,
      'b', // SHORT_BINUNICODE 'b'
      ']', // EMPTY_LIST
      '(',
      0x8c,
      2,
      [0xc3, 0xa9], // SHORT_BINUNICODE 'é'
      'C',
      2,
      [1, 2], // SHORT_BINBYTES
      'U',
      6,
      'py2str', // SHORT_BINSTRING
      'e', // APPENDS
      'K',
      7,
      'h',
      1, // BINGET 1 -> 'a'
      'u', // SETITEMS
      '.',
    );
    const { value, end } = unpickle(p, 0, noGlobals);
    expect(end).toBe(p.byteLength);
    expect(value).toEqual(
      new Map<unknown, unknown>([
        ['a', [1, -2, 300, 2 ** 40, -1.5, null, true, false]],
        ['b', ['é', Uint8Array.from([1, 2]), 'py2str']],
        [7, 'a'],
      ]),
    );
  });

  it('gives integers beyond 2**53 and negative LONG1 values exactly', () => {
    // LONG1 of the torch magic number 0x1950a86a20f9469cfc6c, then LONG1 -129 (0x7f 0xff)
    const magic = [0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19];
    expect(unpickle(bytes(0x8a, 10, magic, '.'), 0, noGlobals).value).toBe(0x1950a86a20f9469cfc6cn);
    expect(unpickle(bytes(0x8a, 2, [0x7f, 0xff], '.'), 0, noGlobals).value).toBe(-129);
    expect(unpickle(bytes(0x8a, 0, '.'), 0, noGlobals).value).toBe(0);
  });

  it('hands globals to findGlobal and calls only what it returns on REDUCE', () => {
    const calls: unknown[][] = [];
    const pair: PickleCallable = {
      qualifiedName: 'm.pair',
      call: (args) => {
        calls.push(args);
        return { pair: args };
      },
    };
    const seen: string[] = [];
    const options: UnpickleOptions = {
      ...noGlobals,
      findGlobal: (module, name) => {
        seen.push(`${module}.${name}`);
        return pair;
      },
    };
    // GLOBAL 'm pair'; (1, 2); REDUCE
    const p = bytes('cm\npair\n', 'K', 1, 'K', 2, 0x86, 'R.');
    expect(unpickle(p, 0, options).value).toEqual({ pair: [1, 2] });
    expect(seen).toEqual(['m.pair']);
    expect(calls).toEqual([[1, 2]]);
    // STACK_GLOBAL takes module and name from the stack
    const p4 = bytes(0x8c, 1, 'm', 0x8c, 4, 'pair', 0x93, ')R.');
    expect(unpickle(p4, 0, options).value).toEqual({ pair: [] });
    expect(seen).toEqual(['m.pair', 'm.pair']);
  });

  it('refuses REDUCE on a value that is not an allowed callable', () => {
    // ('x',) (); REDUCE at byte 8: a tuple is not callable
    const p = bytes('X', u32(1), 'x', 0x85, ')R.');
    expect(() => unpickle(p, 0, noGlobals)).toThrow(/test\.pkl @byte 8: bad pickle: REDUCE on something/);
  });

  it('refuses opcodes that build arbitrary objects with UnsafePickleError', () => {
    for (const [op, label] of [
      ['i', 'INST'],
      ['o', 'OBJ'],
      [String.fromCharCode(0x81), 'NEWOBJ'],
      [String.fromCharCode(0x82), 'EXT1'],
    ] as const) {
      const p = Uint8Array.from([0x80, 2, 0x4e, op.charCodeAt(0), 0x2e]);
      expect(() => unpickle(p, 0, noGlobals), label).toThrow(
        expect.objectContaining({ code: 'E_UNSAFE_PICKLE', message: expect.stringContaining('test.pkl @byte 3') }),
      );
    }
  });

  it('names the offset of an unsupported opcode and of a truncated pickle', () => {
    expect(() => unpickle(bytes(0x80, 2, 'I1\n.'), 0, noGlobals)).toThrow(
      /test\.pkl @byte 2: bad pickle: unsupported pickle opcode 0x49 \('I'\)/,
    );
    const truncated = () => unpickle(bytes(0x80, 2, 'X', u32(100), 'abc'), 0, { ...noGlobals, baseOffset: 1000 });
    expect(truncated).toThrow(PickleTruncatedError);
    expect(truncated).toThrow(/test\.pkl @byte 1002: pickle ends inside an opcode/);
    expect(() => unpickle(bytes(0x80, 2, 'N'), 0, noGlobals)).toThrow(PickleTruncatedError);
  });

  it('rejects malformed stacks', () => {
    expect(() => unpickle(bytes('.'), 0, noGlobals)).toThrow(/STOP with an unbalanced stack/);
    expect(() => unpickle(bytes('t.'), 0, noGlobals)).toThrow(/no MARK on the stack/);
    expect(() => unpickle(bytes('h', 5, '.'), 0, noGlobals)).toThrow(/memo key 5 was never stored/);
    expect(() => unpickle(bytes('K', 1, 'K', 2, 's.'), 0, noGlobals)).toThrow(/stack underflow|SETITEM/);
  });
});
