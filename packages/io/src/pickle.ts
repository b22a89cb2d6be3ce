import { FormatError, UnsafePickleError } from '@kadapter/core';

/**
 * A restricted unpickler: it understands the opcodes `torch.save` emits (protocols 2 to 5, plus the
 * Python 2 string opcodes of old checkpoints) and nothing else. Globals are never imported: each
 * GLOBAL / STACK_GLOBAL is handed to `findGlobal`, which returns a JS stand-in for the few callables
 * a tensor checkpoint needs or throws. Opcodes that build arbitrary objects (INST, OBJ, NEWOBJ,
 * EXT*) are refused. Nothing in the pickle is ever executed.
 */

/** What REDUCE may call: a JS stand-in for an allowed Python callable. */
export interface PickleCallable {
  readonly qualifiedName: string;
  call(args: unknown[], offset: number): unknown;
}

/** An object BUILD may update (e.g. an OrderedDict receiving its `_metadata`). */
export interface PickleBuildable {
  setState(state: unknown, offset: number): void;
}

export interface UnpickleOptions {
  /** the file, for error messages */
  file: string;
  /** where `bytes` starts in the file, so errors give file offsets */
  baseOffset?: number;
  /** resolves `module.name` (never imports anything); throws UnsafePickleError for what is not allowed */
  findGlobal(module: string, name: string, offset: number): unknown;
  /** resolves a persistent id (BINPERSID), e.g. torch's ('storage', type, key, location, numel) */
  persistentLoad(pid: unknown, offset: number): unknown;
}

/** The pickle ended before STOP: more bytes are needed (or the file is truncated). */
export class PickleTruncatedError extends FormatError {}

const MARK = Symbol('mark');

/** Unpickles one pickle starting at `start`; returns its value and the offset after STOP. */
export function unpickle(bytes: Uint8Array, start: number, options: UnpickleOptions): { value: unknown; end: number } {
  return new Unpickler(bytes, start, options).run();
}

class Unpickler {
  private pos: number;
  private readonly stack: unknown[] = [];
  private readonly marks: number[] = [];
  private readonly memo = new Map<number, unknown>();
  private readonly view: DataView;
  private opStart = 0;

  constructor(
    private readonly bytes: Uint8Array,
    start: number,
    private readonly options: UnpickleOptions,
  ) {
    this.pos = start;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  run(): { value: unknown; end: number } {
    for (;;) {
      this.opStart = this.pos;
      const op = this.u8();
      if (op === 0x2e /* . STOP */) {
        if (this.stack.length !== 1 || this.marks.length > 0) this.fail('STOP with an unbalanced stack');
        return { value: this.stack[0], end: this.pos };
      }
      this.step(op);
    }
  }

  private step(op: number): void {
    switch (op) {
      case 0x80: // PROTO
        if (this.u8() > 5) this.fail('pickle protocol above 5');
        return;
      case 0x95: // FRAME: an 8-byte frame length; frames are only a buffering hint
        this.take(8);
        return;
      case 0x28: // ( MARK
        this.marks.push(this.stack.length);
        this.stack.push(MARK);
        return;
      case 0x30: // 0 POP
        this.pop();
        return;
      case 0x31: // 1 POP_MARK
        this.popMark();
        return;
      case 0x32: // 2 DUP
        this.push(this.top());
        return;
      case 0x4e: // N NONE
        this.push(null);
        return;
      case 0x88: // NEWTRUE
        this.push(true);
        return;
      case 0x89: // NEWFALSE
        this.push(false);
        return;
      case 0x4a: // J BININT
        this.push(this.view.getInt32(this.advance(4), true));
        return;
      case 0x4b: // K BININT1
        this.push(this.u8());
        return;
      case 0x4d: // M BININT2
        this.push(this.view.getUint16(this.advance(2), true));
        return;
      case 0x8a: // LONG1
        this.push(this.long(this.u8()));
        return;
      case 0x8b: // LONG4
        this.push(this.long(this.u32()));
        return;
      case 0x47: // G BINFLOAT (big-endian)
        this.push(this.view.getFloat64(this.advance(8), false));
        return;
      case 0x58: // X BINUNICODE
        this.push(this.utf8(this.u32()));
        return;
      case 0x8c: // SHORT_BINUNICODE
        this.push(this.utf8(this.u8()));
        return;
      case 0x8d: // BINUNICODE8
        this.push(this.utf8(this.u64()));
        return;
      case 0x54: // T BINSTRING (Python 2 str)
        this.push(this.latin1(this.view.getInt32(this.advance(4), true)));
        return;
      case 0x55: // U SHORT_BINSTRING
        this.push(this.latin1(this.u8()));
        return;
      case 0x42: // B BINBYTES
        this.push(this.take(this.u32()).slice());
        return;
      case 0x43: // C SHORT_BINBYTES
        this.push(this.take(this.u8()).slice());
        return;
      case 0x8e: // BINBYTES8
        this.push(this.take(this.u64()).slice());
        return;
      case 0x29: // ) EMPTY_TUPLE
      case 0x5d: // ] EMPTY_LIST
        this.push([]);
        return;
      case 0x85: // TUPLE1
        this.push(this.popN(1));
        return;
      case 0x86: // TUPLE2
        this.push(this.popN(2));
        return;
      case 0x87: // TUPLE3
        this.push(this.popN(3));
        return;
      case 0x74: // t TUPLE
      case 0x6c: // l LIST
        this.push(this.popMark());
        return;
      case 0x7d: // } EMPTY_DICT
        this.push(new Map());
        return;
      case 0x64: // d DICT
        this.push(this.fillDict(new Map(), this.popMark()));
        return;
      case 0x61: {
        // a APPEND
        const item = this.pop();
        this.list(this.top()).push(item);
        return;
      }
      case 0x65: {
        // e APPENDS
        const items = this.popMark();
        this.list(this.top()).push(...items);
        return;
      }
      case 0x73: {
        // s SETITEM
        const value = this.pop();
        const key = this.pop();
        this.dict(this.top()).set(key, value);
        return;
      }
      case 0x75: {
        // u SETITEMS
        const items = this.popMark();
        this.fillDict(this.dict(this.top()), items);
        return;
      }
      case 0x71: // q BINPUT
        this.memo.set(this.u8(), this.top());
        return;
      case 0x72: // r LONG_BINPUT
        this.memo.set(this.u32(), this.top());
        return;
      case 0x94: // MEMOIZE
        this.memo.set(this.memo.size, this.top());
        return;
      case 0x68: // h BINGET
        this.push(this.get(this.u8()));
        return;
      case 0x6a: // j LONG_BINGET
        this.push(this.get(this.u32()));
        return;
      case 0x63: {
        // c GLOBAL "module\nname\n"
        const module = this.line();
        const name = this.line();
        this.push(this.options.findGlobal(module, name, this.fileOffset(this.opStart)));
        return;
      }
      case 0x93: {
        // STACK_GLOBAL
        const name = this.pop();
        const module = this.pop();
        if (typeof module !== 'string' || typeof name !== 'string') this.fail('STACK_GLOBAL needs two strings');
        this.push(this.options.findGlobal(module, name, this.fileOffset(this.opStart)));
        return;
      }
      case 0x52: {
        // R REDUCE
        const args = this.pop();
        const fn = this.pop();
        if (!isCallable(fn)) this.fail(`REDUCE on something that is not an allowed callable (${describe(fn)})`);
        if (!Array.isArray(args)) this.fail(`REDUCE arguments are not a tuple (${describe(args)})`);
        this.push(fn.call(args, this.fileOffset(this.opStart)));
        return;
      }
      case 0x62: {
        // b BUILD
        const state = this.pop();
        const target = this.top();
        if (!isBuildable(target)) this.fail(`BUILD on ${describe(target)} is not supported`);
        target.setState(state, this.fileOffset(this.opStart));
        return;
      }
      case 0x51: // Q BINPERSID
        this.push(this.options.persistentLoad(this.pop(), this.fileOffset(this.opStart)));
        return;
      case 0x69: // i INST
      case 0x6f: // o OBJ
      case 0x81: // NEWOBJ
      case 0x92: // NEWOBJ_EX
      case 0x82: // EXT1
      case 0x83: // EXT2
      case 0x84: // EXT4
        throw new UnsafePickleError(
          `opcode 0x${op.toString(16)} ('${String.fromCharCode(op)}') builds an arbitrary object; a tensor checkpoint never needs it`,
          { file: this.options.file, offset: this.fileOffset(this.opStart) },
        );
      default:
        this.fail(`unsupported pickle opcode 0x${op.toString(16)} ('${String.fromCharCode(op)}')`);
    }
  }

  // --- stack helpers -------------------------------------------------------------------------

  private push(v: unknown): void {
    this.stack.push(v);
  }

  private pop(): unknown {
    if (this.stack.length === 0 || this.stack.at(-1) === MARK) this.fail('stack underflow');
    return this.stack.pop();
  }

  private top(): unknown {
    const v = this.stack.at(-1);
    if (this.stack.length === 0 || v === MARK) this.fail('stack underflow');
    return v;
  }

  private popN(n: number): unknown[] {
    const out: unknown[] = [];
    for (let i = 0; i < n; i++) out.unshift(this.pop());
    return out;
  }

  private popMark(): unknown[] {
    const at = this.marks.pop();
    if (at === undefined) this.fail('no MARK on the stack');
    const items = this.stack.splice(at);
    items.shift(); // the MARK itself
    return items;
  }

  private get(key: number): unknown {
    if (!this.memo.has(key)) this.fail(`memo key ${key} was never stored`);
    return this.memo.get(key);
  }

  private list(v: unknown): unknown[] {
    if (!Array.isArray(v)) this.fail(`APPEND(S) on ${describe(v)}`);
    return v;
  }

  private dict(v: unknown): Map<unknown, unknown> {
    if (!(v instanceof Map)) this.fail(`SETITEM(S) on ${describe(v)}`);
    return v;
  }

  private fillDict(d: Map<unknown, unknown>, items: unknown[]): Map<unknown, unknown> {
    if (items.length % 2 !== 0) this.fail('odd number of items for a dict');
    for (let i = 0; i < items.length; i += 2) d.set(items[i], items[i + 1]);
    return d;
  }

  // --- byte helpers --------------------------------------------------------------------------

  private advance(n: number): number {
    const at = this.pos;
    if (n < 0 || at + n > this.bytes.byteLength) {
      throw new PickleTruncatedError(`pickle ends inside an opcode (needs ${n} more bytes)`, {
        file: this.options.file,
        offset: this.fileOffset(this.opStart),
      });
    }
    this.pos += n;
    return at;
  }

  private take(n: number): Uint8Array {
    const at = this.advance(n);
    return this.bytes.subarray(at, at + n);
  }

  private u8(): number {
    return this.view.getUint8(this.advance(1));
  }

  private u32(): number {
    return this.view.getUint32(this.advance(4), true);
  }

  /** An 8-byte length; one beyond the buffer is reported by the read that follows as truncation. */
  private u64(): number {
    const n = this.view.getBigUint64(this.advance(8), true);
    return n > BigInt(this.bytes.byteLength) ? this.bytes.byteLength + 1 : Number(n);
  }

  /** Little-endian two's complement integer of `n` bytes: a number when it is safe, else a bigint. */
  private long(n: number): number | bigint {
    const b = this.take(n);
    let v = 0n;
    for (let i = n - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i] as number);
    if (n > 0 && (b[n - 1] as number) & 0x80) v -= 1n << BigInt(8 * n);
    return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
  }

  private utf8(n: number): string {
    return new TextDecoder('utf-8', { fatal: false }).decode(this.take(n));
  }

  private latin1(n: number): string {
    return new TextDecoder('latin1').decode(this.take(n));
  }

  private line(): string {
    const nl = this.bytes.indexOf(0x0a, this.pos);
    if (nl < 0) this.advance(this.bytes.byteLength + 1 - this.pos);
    if (nl - this.pos > 1024) this.fail('GLOBAL name longer than 1024 bytes');
    const s = new TextDecoder('utf-8').decode(this.bytes.subarray(this.pos, nl));
    this.pos = nl + 1;
    return s;
  }

  private fileOffset(pos: number): number {
    return (this.options.baseOffset ?? 0) + pos;
  }

  private fail(message: string): never {
    throw new FormatError(`bad pickle: ${message}`, { file: this.options.file, offset: this.fileOffset(this.opStart) });
  }
}

function isCallable(v: unknown): v is PickleCallable {
  return typeof v === 'object' && v !== null && typeof (v as PickleCallable).call === 'function';
}

function isBuildable(v: unknown): v is PickleBuildable {
  return typeof v === 'object' && v !== null && typeof (v as PickleBuildable).setState === 'function';
}

/** A short description of an unpickled value for error messages. */
export function describe(v: unknown): string {
  if (v === null) return 'None';
  if (Array.isArray(v)) return `a tuple/list of ${v.length}`;
  if (v instanceof Map) return `a dict of ${v.size}`;
  if (typeof v === 'object') return (v as { qualifiedName?: string }).qualifiedName ?? v.constructor.name;
  return `${typeof v} ${String(v).slice(0, 40)}`;
}
