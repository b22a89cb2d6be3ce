import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeEach } from 'vitest';

/**
 * Makes every test of the current suite (and of the suites inside it) fail when it leaves more live
 * tfjs tensors (`tf.memory().numTensors`, variables included) than it found: the message names the
 * test and the count. Tensors made in `beforeAll` (fixtures the suite keeps) are already counted
 * when a test starts. A test that fails for another reason is not checked again (its tensors are
 * often left behind by the failure itself). `describeBackends` registers it; call it in a
 * `describe` that selects one backend by itself.
 */
export function checkTensorLeaks(): void {
  let before = 0;
  beforeEach(() => {
    before = tf.memory().numTensors;
  });
  afterEach(({ task }) => {
    if (task.result?.state === 'fail') return;
    const after = tf.memory().numTensors;
    if (after > before) {
      throw new Error(
        `'${task.fullTestName ?? task.name}' leaves ${after - before} live tfjs tensor(s) behind ` +
          `(${before} before the test, ${after} after): dispose them or compute them in tf.tidy`,
      );
    }
  });
}
