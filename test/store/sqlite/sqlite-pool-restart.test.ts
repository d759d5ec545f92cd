import { join } from 'node:path';
import { SqliteStore } from '../../../src/store/sqlite/index.js';
import { makeTempDir } from '../../support/temp-dir.js';
import { describePoolOnStore } from '../pool-on-store.js';

describePoolOnStore('the SQLite store', () => {
  const dir = makeTempDir('sqlite-pool');
  const path = join(dir.path, 'orbit.db');
  return {
    seesCrashes: true,
    open: () => new SqliteStore({ path }),
    cleanup: () => dir.remove(),
  };
});
