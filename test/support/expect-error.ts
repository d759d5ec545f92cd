import { expect } from 'vitest';
import { OrbitError, type ErrorCode } from '../../src/index.js';

/** What `action` throws, or a failed expectation when it throws nothing. */
export function thrownBy(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }

  return expect.fail('expected the call to throw, but it returned');
}

/** Asserts that `action` throws an {@link OrbitError} with `code` and returns it. */
export function expectOrbitError(action: () => unknown, code: ErrorCode): OrbitError {
  return expectCode(thrownBy(action), code);
}

/** Asserts that `promise` rejects with an {@link OrbitError} with `code` and returns it. */
export async function expectRejection(
  promise: Promise<unknown>,
  code: ErrorCode,
): Promise<OrbitError> {
  let reason: unknown;
  try {
    await promise;
  } catch (error) {
    reason = error;
  }

  return expectCode(reason, code);
}

/** Asserts that `value` is an {@link OrbitError} with `code`. */
export function expectCode(value: unknown, code: ErrorCode): OrbitError {
  expect(value).toBeInstanceOf(OrbitError);
  const error = value as OrbitError;
  expect(error.code).toBe(code);

  return error;
}
