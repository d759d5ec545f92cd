import { isThenable } from '../config/checks.js';
import type { Logger } from '../logging/logger.js';

/** A listener of one event of the map `M`. */
export type Listener<M, K extends keyof M> = (event: M[K]) => unknown;

type AnyListener = (event: never) => unknown;

/**
 * A typed event emitter that cannot be hurt by its listeners: a listener that throws,
 * or returns a promise that rejects, is reported to the logger and the others still run.
 *
 * Emitters check {@link EventEmitter.has} before they build a payload, so an event no
 * one listens to costs one map lookup and no allocation. Listener lists are replaced,
 * never changed in place, so a listener may subscribe or unsubscribe during an emit.
 */
export class EventEmitter<M extends object> {
  readonly #listeners = new Map<keyof M, readonly AnyListener[]>();
  readonly #logger: Logger;

  constructor(logger: Logger) {
    this.#logger = logger;
  }

  /** Whether `event` has at least one listener. */
  has(event: keyof M): boolean {
    return this.#listeners.has(event);
  }

  on<K extends keyof M>(event: K, listener: Listener<M, K>): void {
    const current = this.#listeners.get(event) ?? [];
    this.#listeners.set(event, [...current, listener]);
  }

  /** Removes one registration of `listener` (the latest); unknown listeners are ignored. */
  off<K extends keyof M>(event: K, listener: Listener<M, K>): void {
    const current = this.#listeners.get(event);
    const index = current?.lastIndexOf(listener) ?? -1;
    if (current === undefined || index < 0) return;

    const rest = current.filter((_, at) => at !== index);
    if (rest.length === 0) this.#listeners.delete(event);
    else this.#listeners.set(event, rest);
  }

  /** Calls `listener` for the next `event` only. */
  once<K extends keyof M>(event: K, listener: Listener<M, K>): void {
    const wrapper: Listener<M, K> = (payload) => {
      this.off(event, wrapper);
      return listener(payload);
    };
    this.on(event, wrapper);
  }

  /** Calls every listener of `event` with `payload`; failures go to the logger. */
  emit<K extends keyof M>(event: K, payload: M[K]): void {
    const listeners = this.#listeners.get(event) as readonly Listener<M, K>[] | undefined;
    if (listeners === undefined) return;

    for (const listener of listeners) {
      try {
        const result = listener(payload);
        if (isThenable(result))
          result.then(undefined, (error: unknown) => this.#failed(event, error));
      } catch (error) {
        this.#failed(event, error);
      }
    }
  }

  #failed(event: keyof M, error: unknown): void {
    this.#logger.error('an event listener failed; the pool goes on', {
      event: String(event),
      error,
    });
  }
}
