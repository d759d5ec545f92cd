import type { ErrorCode } from './error-codes.js';

/** Context an {@link OrbitError} may carry besides its code. */
export interface OrbitErrorOptions {
  /** The job the error concerns, where there is one. */
  jobId?: string;
  /** What caused it: the value a job or hook threw, or a lower-level error. */
  cause?: unknown;
  /** Orbit terminated the worker thread that ran the job; see {@link OrbitError.forced}. */
  forced?: boolean;
}

/**
 * The one error class of Orbit. `code` is stable and safe to branch on; `message` is for
 * people. A failed run keeps what the job threw as `cause`.
 */
export class OrbitError extends Error {
  override readonly name = 'OrbitError';
  readonly code: ErrorCode;
  readonly jobId: string | undefined;
  /**
   * `true` when the job ran in a worker thread that did not settle within `killAfter` of
   * its signal aborting, so Orbit terminated the thread; `false` for every other error.
   */
  readonly forced: boolean;

  constructor(code: ErrorCode, message: string, options: OrbitErrorOptions = {}) {
    super(message, 'cause' in options ? { cause: options.cause } : undefined);
    this.code = code;
    this.jobId = options.jobId;
    this.forced = options.forced === true;
  }
}

/**
 * True when `value` is an {@link OrbitError}, optionally with the given code. A thrown
 * value whose prototype cannot be read (a Proxy whose trap throws) is none.
 */
export function isOrbitError(value: unknown, code?: ErrorCode): value is OrbitError {
  try {
    return value instanceof OrbitError && (code === undefined || value.code === code);
  } catch {
    return false;
  }
}

/**
 * A short, printable description of any thrown value, for messages. User code may throw
 * anything, even a value that throws when looked at (a getter, a Proxy trap): that value
 * is described as such, never rethrown.
 */
export function describeThrown(value: unknown): string {
  try {
    return describe(value);
  } catch {
    return 'a thrown value that could not be read';
  }
}

function describe(value: unknown): string {
  if (value instanceof Error) return value.message === '' ? value.name : value.message;
  if (typeof value === 'string') return value;
  if (value === undefined) return 'undefined';
  if (typeof value === 'object' && value !== null) {
    try {
      return JSON.stringify(value);
    } catch {
      return Object.prototype.toString.call(value);
    }
  }
  if (value === null) return 'null';
  return (value as number | boolean | bigint | symbol | (() => unknown)).toString();
}
