/**
 * Typed errors. Every error the library throws on bad input is a `KAdapterError` with a stable
 * `code` and, where it applies, the file / field / tensor at fault, so callers can branch on
 * `err.code` and users read what went wrong and where.
 */
export type ErrorCode =
  | 'E_CONFIG'
  | 'E_FORMAT'
  | 'E_SHAPE'
  | 'E_DTYPE'
  | 'E_MISSING_TENSOR'
  | 'E_UNEXPECTED_TENSOR'
  | 'E_UNSAFE_PICKLE'
  | 'E_BACKEND'
  | 'E_CONTRACT'
  | 'E_NOT_FOUND'
  | 'E_NETWORK'
  | 'E_OFFLINE'
  | 'E_CHECKSUM'
  | 'E_PATH'
  | 'E_DATA'
  | 'E_INPUT'
  | 'E_BUDGET';

/** Where an error points: any subset of file, position in it, field and tensor name. */
export interface ErrorLocation {
  file?: string;
  /** line number (1-based) and/or byte offset, as the format suggests (both: `file:line @byte offset`) */
  line?: number;
  offset?: number;
  field?: string;
  tensor?: string;
}

export interface KAdapterErrorOptions extends ErrorLocation {
  cause?: unknown;
}

export class KAdapterError extends Error {
  readonly code: ErrorCode;
  readonly location: ErrorLocation;

  constructor(code: ErrorCode, message: string, options: KAdapterErrorOptions = {}) {
    const { cause, ...location } = options;
    super(`${formatLocation(location)}${message}`, cause === undefined ? undefined : { cause });
    this.name = new.target.name;
    this.code = code;
    this.location = location;
  }
}

function formatLocation(loc: ErrorLocation): string {
  const parts: string[] = [];
  if (loc.file !== undefined) {
    let where = loc.file;
    if (loc.line !== undefined) where += `:${loc.line}`;
    if (loc.offset !== undefined) where += ` @byte ${loc.offset}`;
    parts.push(where);
  }
  if (loc.tensor !== undefined) parts.push(`tensor '${loc.tensor}'`);
  if (loc.field !== undefined) parts.push(`field '${loc.field}'`);
  return parts.length > 0 ? `${parts.join(', ')}: ` : '';
}

/** A configuration value is missing, out of range or inconsistent. */
export class ConfigError extends KAdapterError {
  constructor(message: string, options?: KAdapterErrorOptions) {
    super('E_CONFIG', message, options);
  }
}

/** A file does not follow its format (truncated, lying header, malformed JSON, ...). */
export class FormatError extends KAdapterError {
  constructor(message: string, options?: KAdapterErrorOptions) {
    super('E_FORMAT', message, options);
  }
}

/** A tensor has the wrong shape. */
export class ShapeError extends KAdapterError {
  constructor(message: string, options?: KAdapterErrorOptions) {
    super('E_SHAPE', message, options);
  }
}

/** A tensor has a dtype the operation does not support. */
export class DTypeError extends KAdapterError {
  constructor(message: string, options?: KAdapterErrorOptions) {
    super('E_DTYPE', message, options);
  }
}

/** Weights do not match what a module expects: missing or unexpected tensors. */
export class WeightsError extends KAdapterError {
  readonly missing: readonly string[];
  readonly unexpected: readonly string[];
  constructor(
    message: string,
    missing: readonly string[],
    unexpected: readonly string[],
    options?: KAdapterErrorOptions,
  ) {
    super(missing.length > 0 ? 'E_MISSING_TENSOR' : 'E_UNEXPECTED_TENSOR', message, options);
    this.missing = missing;
    this.unexpected = unexpected;
  }
}

/** A pickle asked for something a tensor checkpoint never needs. Nothing was executed. */
export class UnsafePickleError extends KAdapterError {
  constructor(message: string, options?: KAdapterErrorOptions) {
    super('E_UNSAFE_PICKLE', message, options);
  }
}

/** A tfjs backend could not be initialised or lacks a kernel. */
export class BackendError extends KAdapterError {
  constructor(message: string, options?: KAdapterErrorOptions) {
    super('E_BACKEND', message, options);
  }
}

/** A knowledge-adapter module does not implement the contract or declares an incompatible version. */
export class ContractError extends KAdapterError {
  constructor(message: string, options?: KAdapterErrorOptions) {
    super('E_CONTRACT', message, options);
  }
}

/** Input data (examples, ids, masks) is invalid. */
export class InputError extends KAdapterError {
  constructor(message: string, options?: KAdapterErrorOptions) {
    super('E_INPUT', message, options);
  }
}

/** A data file has a bad record (used by the data builders; carries the position). */
export class DataError extends KAdapterError {
  constructor(message: string, options?: KAdapterErrorOptions) {
    super('E_DATA', message, options);
  }
}

/** A file or remote resource does not exist. */
export class NotFoundError extends KAdapterError {
  constructor(message: string, options?: KAdapterErrorOptions) {
    super('E_NOT_FOUND', message, options);
  }
}

/** A network request failed. */
export class NetworkError extends KAdapterError {
  constructor(message: string, options?: KAdapterErrorOptions) {
    super('E_NETWORK', message, options);
  }
}

/** Offline mode is on and the resource is not in the local cache. */
export class OfflineError extends KAdapterError {
  constructor(message: string, options?: KAdapterErrorOptions) {
    super('E_OFFLINE', message, options);
  }
}

/** Downloaded or stored bytes do not match their checksum. */
export class ChecksumError extends KAdapterError {
  constructor(message: string, options?: KAdapterErrorOptions) {
    super('E_CHECKSUM', message, options);
  }
}

/** A path escapes the directory it must stay in. */
export class PathError extends KAdapterError {
  constructor(message: string, options?: KAdapterErrorOptions) {
    super('E_PATH', message, options);
  }
}

/** A size or disk budget would be exceeded. */
export class BudgetError extends KAdapterError {
  constructor(message: string, options?: KAdapterErrorOptions) {
    super('E_BUDGET', message, options);
  }
}

/** True when `err` is a KAdapterError, optionally with the given code. */
export function isKAdapterError(err: unknown, code?: ErrorCode): err is KAdapterError {
  return err instanceof KAdapterError && (code === undefined || err.code === code);
}
