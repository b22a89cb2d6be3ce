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
} from './errors.js';

/**
 * An error as plain data, for crossing a worker-thread or process boundary (`postMessage`, JSON in
 * job data), where the class would be lost. A `KAdapterError` keeps its code, message and location;
 * another error keeps its message and stack.
 */
export interface SerializedError {
  /** set for a KAdapterError */
  code?: ErrorCode;
  /** the message, without the "file @byte n, field 'x': " prefix the location adds */
  detail: string;
  location?: ErrorLocation;
  stack?: string;
}

/** A serialized KAdapterError. */
export type SerializedTypedError = SerializedError & { code: ErrorCode; location: ErrorLocation };

/** The message of a KAdapterError without the "file:line, field ...: " prefix its location adds. */
export function errorDetail(err: KAdapterError): string {
  const prefix = new KAdapterError(err.code, '', err.location).message;
  return err.message.startsWith(prefix) ? err.message.slice(prefix.length) : err.message;
}

/** `err` as plain data (see `SerializedError`). */
export function serializeError(err: KAdapterError): SerializedTypedError;
export function serializeError(err: unknown): SerializedError;
export function serializeError(err: unknown): SerializedError {
  if (isKAdapterError(err)) return { code: err.code, detail: errorDetail(err), location: err.location };
  const e = err instanceof Error ? err : new Error(String(err));
  return { detail: e.message, stack: e.stack };
}

/** The classes the data builders throw; other codes come back as a KAdapterError with the same code. */
const CLASSES: Partial<Record<ErrorCode, new (message: string, options?: ErrorLocation) => KAdapterError>> = {
  E_CHECKSUM: ChecksumError,
  E_CONFIG: ConfigError,
  E_DATA: DataError,
  E_FORMAT: FormatError,
  E_INPUT: InputError,
  E_NOT_FOUND: NotFoundError,
};

/**
 * Rebuilds an error on this side: a typed error with the same code, message and location (and the
 * same class for the codes above); otherwise an `Error` with the message and the original stack.
 */
export function deserializeError(s: SerializedTypedError): KAdapterError;
export function deserializeError(s: SerializedError): Error;
export function deserializeError(s: SerializedError): Error {
  if (s.code === undefined) {
    const err = new Error(s.detail);
    if (s.stack) err.stack = s.stack;
    return err;
  }
  const Class = CLASSES[s.code];
  return Class ? new Class(s.detail, s.location) : new KAdapterError(s.code, s.detail, s.location);
}
