/**
 * The PostgreSQL store, at `orbit-scheduler/postgres`. Importing this entry loads the
 * `pg` driver, an optional peer dependency; the main entry never does.
 */
export { PostgresStore, type StoreDeps } from './store/postgres/postgres-store.js';
export type { PostgresStoreOptions } from './store/postgres/postgres-options.js';
export type { ListedJob, ListJobsFilter, ListableStore } from './store/listed-job.js';
