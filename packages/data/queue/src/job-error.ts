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
import type { JobError } from './job-data.js';

/** The message of a typed error without the "file @byte n, field 'x': " prefix its location adds. */
function detailOf(err: KAdapterError): string {
  const prefix = new KAdapterError(err.code, '', err.location).message;
  return err.message.startsWith(prefix) ? err.message.slice(prefix.length) : err.message;
}

/** A typed error as job data; undefined for other errors (those are retried, not stored). */
export function toJobError(err: unknown): JobError | undefined {
  if (!isKAdapterError(err)) return undefined;
  return { code: err.code, detail: detailOf(err), location: err.location };
}

type ErrorClass = new (message: string, options?: ErrorLocation) => KAdapterError;

/** The classes the builder throws; other codes come back as a KAdapterError with the same code. */
const CLASSES: Partial<Record<ErrorCode, ErrorClass>> = {
  E_CHECKSUM: ChecksumError,
  E_CONFIG: ConfigError,
  E_DATA: DataError,
  E_FORMAT: FormatError,
  E_INPUT: InputError,
  E_NOT_FOUND: NotFoundError,
};

/** Rebuilds the typed error a worker stored (same class, code, message and location). */
export function fromJobError(stored: JobError): KAdapterError {
  const Class = CLASSES[stored.code];
  return Class
    ? new Class(stored.detail, stored.location)
    : new KAdapterError(stored.code, stored.detail, stored.location);
}
