import { parentPort } from 'node:worker_threads';
import { serializeError } from '@kadapter/core';
import { type ProcessFileOptions, processTrexFile } from './process-file.js';

/** Worker-thread entry: processes one file per `{ id, input, options }` message. */
const port = parentPort;
if (port) {
  port.on('message', async (task: { id: number; input: string; options: Omit<ProcessFileOptions, 'onProgress'> }) => {
    let last = 0;
    try {
      const stored = await processTrexFile(task.input, {
        ...task.options,
        onProgress: (p) => {
          const now = Date.now();
          if (now - last < 200) return;
          last = now;
          port.postMessage({ type: 'progress', id: task.id, ...p });
        },
      });
      port.postMessage({ type: 'done', id: task.id, stored });
    } catch (err) {
      port.postMessage({ type: 'error', id: task.id, error: serializeError(err) });
    }
  });
}
