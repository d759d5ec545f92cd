export { SqliteStore } from './sqlite-store.js';
export type { SqliteStoreOptions } from './sqlite-options.js';
