import type { MaybePromise } from './store.js';

/** Whether a store answered with a promise rather than a value. */
export function isPromise<T>(value: MaybePromise<T>): value is Promise<T> {
  return typeof (value as { then?: unknown } | undefined)?.then === 'function';
}

/**
 * Calls `onValue` with what a store answered: at once for a value, later for a promise.
 * A throw or a rejection goes to `onError`; nothing escapes as an unhandled rejection.
 */
export function whenSettled<T>(
  answer: () => MaybePromise<T>,
  onValue: (value: T) => void,
  onError: (error: unknown) => void,
): void {
  let value: MaybePromise<T>;
  try {
    value = answer();
  } catch (error) {
    onError(error);
    return;
  }

  if (isPromise(value)) value.then(onValue, onError).catch(onError);
  else onValue(value);
}

/** `next` after `first`: in the same tick when `first` is a value, after it when a promise. */
export function andThen<T>(
  first: MaybePromise<unknown>,
  next: () => MaybePromise<T>,
): MaybePromise<T> {
  return isPromise(first) ? first.then(next) : next();
}
