import type { MaybePromise, Store } from '../../src/store/store.js';

/**
 * A store that answers every call with a promise, as a store on a server does, around a
 * synchronous one. Each answer waits a few turns of the microtask queue, so calls made
 * one after another can overlap; while `gate()` gives a promise, answers wait for it too,
 * as answers from a slow server would.
 */
export function asyncStore(
  inner: Store,
  gate: () => Promise<void> | undefined = () => undefined,
): Store {
  const later = <T>(call: () => MaybePromise<T>): Promise<T> =>
    Promise.resolve()
      .then(() => gate())
      .then(call);

  return {
    durable: inner.durable,
    register: (poolId, definition) => later(() => inner.register(poolId, definition)),
    claim: (poolId, claim) => later(() => inner.claim(poolId, claim)),
    complete: (poolId, completion) => later(() => inner.complete(poolId, completion)),
    setStatus: (poolId, change) => later(() => inner.setStatus(poolId, change)),
    command: (poolId, command) => later(() => inner.command(poolId, command)),
    watch: (poolId, watcher) => inner.watch(poolId, watcher),
    standby: (poolId, jobId) => inner.standby?.(poolId, jobId) ?? 0,
    ...(inner.overdue !== undefined && {
      overdue: (poolId, dueBy) => later(() => inner.overdue?.(poolId, dueBy) as never),
    }),
    remove: (poolId, jobId) => later(() => inner.remove(poolId, jobId)),
    job: (poolId, jobId) => later(() => inner.job(poolId, jobId)),
    history: (poolId, jobId, limit) => later(() => inner.history(poolId, jobId, limit)),
    close: () => later(() => inner.close()),
  };
}
