import { ConfigError } from '@kadapter/core';
import { cosmosQaEncoder } from './tasks/cosmosqa.js';
import { figerEncoder } from './tasks/figer.js';
import { findHeadEncoder } from './tasks/find-head.js';
import { openEntityEncoder } from './tasks/openentity.js';
import { tacredEncoder } from './tasks/tacred.js';
import { trexEncoder } from './tasks/trex.js';
import type { TaskEncoder } from '@kadapter/core';

const encoders = new Map<string, TaskEncoder>();

/**
 * Adds an encoder under its `name` (open to third parties: any name). Registering a name twice is
 * a ConfigError unless `replace` is set.
 */
export function registerEncoder(encoder: TaskEncoder, options: { replace?: boolean } = {}): void {
  if (encoders.has(encoder.name) && !options.replace) {
    throw new ConfigError(`an encoder named '${encoder.name}' is already registered`, { field: 'task' });
  }
  encoders.set(encoder.name, encoder);
}

/** The encoder registered as `name`; an unknown name is a ConfigError listing the known ones. */
export function getEncoder(name: string): TaskEncoder {
  const encoder = encoders.get(name);
  if (!encoder) {
    throw new ConfigError(`unknown task '${name}' (known: ${encoderNames().join(', ')})`, { field: 'task' });
  }
  return encoder;
}

export function encoderNames(): string[] {
  return [...encoders.keys()];
}

for (const encoder of [trexEncoder, findHeadEncoder, openEntityEncoder, figerEncoder, tacredEncoder, cosmosQaEncoder]) {
  registerEncoder(encoder as TaskEncoder);
}
