import { join } from 'node:path';
import { SqliteStore } from '../../../src/store/sqlite/index.js';
import { makeTempDir } from '../../support/temp-dir.js';
import { describeStoreConformance } from '../conformance.js';

describeStoreConformance('SqliteStore', ({ historyLimit }) => {
  const dir = makeTempDir('sqlite-conformance');
  const path = join(dir.path, 'orbit.db');
  const store = new SqliteStore({ path, historyLimit });

  return Promise.resolve({
    store,
    reopen: () => new SqliteStore({ path, historyLimit }),
    cleanup: () => {
      store.close();
      dir.remove();
    },
  });
});
