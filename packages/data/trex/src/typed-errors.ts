import {
  ChecksumError,
  ConfigError,
  DataError,
  type ErrorCode,
  type ErrorLocation,
  FormatError,
  InputError,
  isKAdapterError,
  KAdapterError,
  NotFoundError,
} from '@kadapter/core';

/** A typed error flattened for `postMessage` (worker threads lose the class). */
export interface SerializedError {
  code?: ErrorCode;
  detail: string;
  location?: ErrorLocation;
  stack?: string;
}

/** The message of a KAdapterError without its "file:line, field ...: " prefix. */
export function errorDetail(err: KAdapterError): string {
  const prefix = new KAdapterError(err.code, '', err.location).message;
  return err.message.startsWith(prefix) ? err.message.slice(prefix.length) : err.message;
}

export function serializeError(err: unknown): SerializedError {
  if (isKAdapterError(err)) return { code: err.code, detail: errorDetail(err), location: err.location };
  const e = err instanceof Error ? err : new Error(String(err));
  return { detail: e.message, stack: e.stack };
}

const CLASSES: Partial<Record<ErrorCode, new (message: string, options?: ErrorLocation) => KAdapterError>> = {
  E_DATA: DataError,
  E_FORMAT: FormatError,
  E_CHECKSUM: ChecksumError,
  E_NOT_FOUND: NotFoundError,
  E_CONFIG: ConfigError,
  E_INPUT: InputError,
};

/** Rebuilds the typed error on this side (same class for the data codes, same code always). */
export function deserializeError(s: SerializedError): Error {
  if (s.code === undefined) {
    const err = new Error(s.detail);
    if (s.stack) err.stack = s.stack;
    return err;
  }
  const Class = CLASSES[s.code];
  return Class ? new Class(s.detail, s.location) : new KAdapterError(s.code, s.detail, s.location);
}
