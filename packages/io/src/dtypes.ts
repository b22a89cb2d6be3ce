import { DTypeError } from '@kadapter/core';

/** safetensors dtypes this library reads and writes. */
export const SAFETENSORS_DTYPES = ['F64', 'F32', 'F16', 'BF16', 'I64', 'I32', 'I16', 'I8', 'U8', 'BOOL'] as const;
export type SafetensorsDType = (typeof SAFETENSORS_DTYPES)[number];

/** Bytes per element of each dtype. */
export const DTYPE_BYTES: Record<SafetensorsDType, number> = {
  F64: 8,
  F32: 4,
  F16: 2,
  BF16: 2,
  I64: 8,
  I32: 4,
  I16: 2,
  I8: 1,
  U8: 1,
  BOOL: 1,
};

export function isSafetensorsDType(s: unknown): s is SafetensorsDType {
  return typeof s === 'string' && (SAFETENSORS_DTYPES as readonly string[]).includes(s);
}

export function assertDType(s: unknown, where: { file: string; tensor: string }): SafetensorsDType {
  if (!isSafetensorsDType(s)) {
    throw new DTypeError(`unknown dtype ${JSON.stringify(s)}; supported: ${SAFETENSORS_DTYPES.join(', ')}`, where);
  }
  return s;
}

/** IEEE half -> float. */
export function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * 2 ** -14 * (frac / 1024);
  if (exp === 0x1f) return frac ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * 2 ** (exp - 15) * (1 + frac / 1024);
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** float -> IEEE half, round to nearest even. */
export function floatToHalf(value: number): number {
  f32[0] = value;
  const x = u32[0] as number;
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  let mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  const e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - e;
    let half = mant >> shift;
    const rem = mant & ((1 << shift) - 1);
    const mid = 1 << (shift - 1);
    if (rem > mid || (rem === mid && half & 1)) half++;
    return sign | half;
  }
  let half = (e << 10) | (mant >> 13);
  const rem = mant & 0x1fff;
  if (rem > 0x1000 || (rem === 0x1000 && half & 1)) half++; // a carry into the exponent is correct (up to inf)
  return sign | half;
}

/** bfloat16 -> float (the upper 16 bits of a float32). */
export function bf16ToFloat(b: number): number {
  u32[0] = b << 16;
  return f32[0] as number;
}

/** float -> bfloat16, round to nearest even. */
export function floatToBf16(value: number): number {
  f32[0] = value;
  const x = u32[0] as number;
  if ((x & 0x7fffffff) > 0x7f800000) return ((x >>> 16) | 0x40) & 0xffff;
  return ((x + 0x7fff + ((x >>> 16) & 1)) >>> 16) & 0xffff;
}
