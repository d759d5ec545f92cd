import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../../src/store/memory-store.js';
import { describeStoreConformance } from './conformance.js';

describeStoreConformance('MemoryStore', ({ historyLimit }) => {
  const store = new MemoryStore({ historyLimit });
  return Promise.resolve({ store, cleanup: () => store.close() });
});

describe('MemoryStore', () => {
  it('keeps no history unless asked to', () => {
    const store = new MemoryStore();
    store.register('p', { jobId: 'a', name: 'a', scheduleHash: 'h', firstDueAt: 0 });
    store.claim('p', { jobId: 'a', scheduledAt: 0, startedAt: 0 });

    expect(store.history('p', 'a')).toEqual([]);
  });

  it('refuses a negative history limit with INVALID_CONFIG', () => {
    expect(() => new MemoryStore({ historyLimit: -1 })).toThrow(/historyLimit/);
  });

  it('is not durable', () => {
    expect(new MemoryStore().durable).toBe(false);
  });
});
