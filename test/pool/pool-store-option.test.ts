import { describe, expect, it } from 'vitest';
import { Orbit } from '../../src/orbit.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import type { Store } from '../../src/store/store.js';

describe('the pool store option', () => {
  it('refuses something that is not a store with INVALID_CONFIG naming the missing method', () => {
    const notAStore = { ...methodsOf(new MemoryStore()), claim: undefined } as unknown as Store;

    expect(() => new Orbit().createPool({ store: notAStore })).toThrow(/store\.claim/);
  });

  it('refuses a durable store without a pool id with EMPTY_ID', () => {
    const durable = { ...methodsOf(new MemoryStore()), durable: true };

    expect(() => new Orbit().createPool({ store: durable })).toThrow(
      expect.objectContaining({ code: 'EMPTY_ID' }) as Error,
    );
    expect(new Orbit().createPool({ id: 'named', store: durable }).id).toBe('named');
  });

  it('lets two pools share one store under their own ids', () => {
    const store = new MemoryStore();
    const orbit = new Orbit();
    orbit.createPool({ id: 'one', store }).addJob({ id: 'a', fn: () => 1, interval: { time: 10 } });
    orbit.createPool({ id: 'two', store }).addJob({ id: 'a', fn: () => 1, interval: { time: 10 } });

    expect(store.job('one', 'a')).toBeDefined();
    expect(store.job('two', 'a')).toBeDefined();
  });
});

/** The store's methods bound to it, as a plain object. */
function methodsOf(store: MemoryStore): Store {
  return {
    durable: store.durable,
    register: store.register.bind(store),
    claim: store.claim.bind(store),
    complete: store.complete.bind(store),
    setStatus: store.setStatus.bind(store),
    command: store.command.bind(store),
    watch: store.watch.bind(store),
    remove: store.remove.bind(store),
    job: store.job.bind(store),
    history: store.history.bind(store),
    close: store.close.bind(store),
  };
}
