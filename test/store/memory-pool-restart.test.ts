import { MemoryStore } from '../../src/store/memory-store.js';
import { describePoolOnStore } from './pool-on-store.js';

describePoolOnStore('the memory store', () => {
  const store = new MemoryStore();
  return { open: () => store, cleanup: () => store.close() };
});
