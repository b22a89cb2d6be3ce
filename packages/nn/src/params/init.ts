import seedrandom from 'seedrandom';
import type { TensorDef } from './def.js';

/** A source of uniform numbers in [0, 1): seeded (reproducible on every machine) or not. */
export type Random = () => number;

/** A seeded random stream (Alea); a fresh unpredictable one when `seed` is undefined. */
export function randomStream(seed: number | string | undefined): Random {
  return seed === undefined ? seedrandom.alea(String(Math.random())) : seedrandom.alea(String(seed));
}

/**
 * Initial values of a tensor (memory layout, row-major), drawn from `random` in JS so that one
 * seed gives the same parameters on every engine and backend.
 */
export function initialValues(t: TensorDef, random: Random): Float32Array {
  const size = t.shape.reduce((a, b) => a * b, 1);
  const out = new Float32Array(size);
  const i = t.init;
  switch (i.kind) {
    case 'constant':
      out.fill(i.value);
      break;
    case 'uniform':
      for (let k = 0; k < size; k++) out[k] = (2 * random() - 1) * i.bound;
      break;
    case 'normal':
      for (let k = 0; k < size; k += 2) {
        // Box-Muller: two independent N(0, 1) draws per pair of uniforms
        const r = Math.sqrt(-2 * Math.log(1 - random()));
        const theta = 2 * Math.PI * random();
        out[k] = r * Math.cos(theta) * i.std;
        if (k + 1 < size) out[k + 1] = r * Math.sin(theta) * i.std;
      }
      break;
    case 'eye': {
      const [rows, cols] = t.shape as [number, number];
      for (let k = 0; k < Math.min(rows, cols); k++) out[k * cols + k] = 1;
      break;
    }
  }
  return out;
}
