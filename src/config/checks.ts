import { OrbitError } from '../errors/orbit-error.js';

/** Shows a user-supplied value in an error message without ever throwing. */
export function shown(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (typeof value === 'function') return 'a function';
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  if (value instanceof Date) return describeDate(value);
  if (typeof value === 'object') return 'an object';
  if (value === undefined) return 'undefined';
  return (value as number | boolean | bigint | symbol).toString();
}

function describeDate(date: Date): string {
  const ms = date.getTime();
  return Number.isNaN(ms) ? 'an invalid Date' : `the Date ${new Date(ms).toISOString()}`;
}

/** Whether `value` is a promise or promise-like: an object with a `then` method. */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A job or pool id: a string with something other than spaces. @throws OrbitError `EMPTY_ID` */
export function nonEmptyId(id: unknown, of: 'job' | 'pool'): string {
  if (typeof id !== 'string' || id.trim() === '') {
    throw new OrbitError('EMPTY_ID', `${of} id must be a non-empty string; got ${shown(id)}`);
  }
  return id;
}

/** The error for an option of the wrong type or range. */
export function invalidConfig(option: string, expected: string, given: unknown): OrbitError {
  return new OrbitError('INVALID_CONFIG', `${option} must be ${expected}; got ${shown(given)}`);
}

/** Refuses keys that `allowed` does not list, so a misspelt option is not silently ignored. */
export function refuseUnknownKeys(
  value: Record<string, unknown>,
  allowed: ReadonlySet<string>,
  where: string,
): void {
  for (const key of Object.keys(value)) {
    if (!allowed.has(key)) {
      const known = [...allowed].join(', ');
      throw new OrbitError('INVALID_CONFIG', `${where} has no option '${key}'; known: ${known}`);
    }
  }
}

/** An instant from a `Date` or epoch milliseconds. @throws `WRONG_TIME` */
export function toInstantMs(value: unknown, option: string): number {
  const ms = value instanceof Date ? value.getTime() : typeof value === 'number' ? value : NaN;
  if (!Number.isFinite(ms) || Math.abs(ms) > 8.64e15) {
    throw new OrbitError(
      'WRONG_TIME',
      `${option} must be a valid Date or epoch ms; got ${shown(value)}`,
    );
  }
  return ms;
}
