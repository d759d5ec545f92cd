import { MemoryStore } from '../../src/store/memory-store.js';
import { describePoolOnStore } from './pool-on-store.js';

describePoolOnStore('the memory store', () => {
  const store = new MemoryStore();
  return {
    seesCrashes: false,
    open: () => store,
    cleanup: () => store.close(),
  };
});
