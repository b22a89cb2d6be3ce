import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe } from 'vitest';
import { checkTensorLeaks } from './tensor-leaks.js';

/** Backends every numeric test runs on. Both exist on every machine (no native install needed). */
export const TEST_BACKENDS = ['wasm', 'cpu'] as const;
export type TestBackend = (typeof TEST_BACKENDS)[number];

/**
 * Runs the same suite once per backend (tfjs' `describeWithFlags` idea): the backend is selected
 * before the suite's own hooks run. Every test of the suite is checked for leaked tensors
 * (`checkTensorLeaks`): what a test makes it disposes; what the suite keeps for all its tests it
 * makes in `beforeAll` and disposes in `afterAll`.
 */
export function describeBackends(name: string, body: (backend: TestBackend) => void, backends = TEST_BACKENDS): void {
  for (const backend of backends) {
    describe(`${name} [${backend}]`, () => {
      beforeAll(async () => {
        await useBackend(backend);
      });
      checkTensorLeaks();
      body(backend);
    });
  }
}

export async function useBackend(backend: string): Promise<void> {
  if (tf.getBackend() === backend) return;
  const ok = await tf.setBackend(backend);
  if (!ok) throw new Error(`tfjs backend ${backend} failed to initialise`);
  await tf.ready();
}
