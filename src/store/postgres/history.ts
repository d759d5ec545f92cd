import type { Queryable } from './queryable.js';
import type { TableNames } from './schema-name.js';

/** The most run records one purge statement deletes. */
export const PURGE_BATCH = 5_000;

/**
 * Deletes run records that finished longer than `retentionMs` ago, in batches so that no
 * statement holds many locks. Runs still in progress are never deleted.
 *
 * @returns how many records were deleted.
 */
export async function purgeHistory(
  db: Queryable,
  tables: TableNames,
  retentionMs: number,
): Promise<number> {
  let deleted = 0;
  for (;;) {
    const { rowCount } = await db.query(
      `DELETE FROM ${tables.runs} WHERE ctid = ANY (ARRAY(
         SELECT ctid FROM ${tables.runs}
          WHERE finished_at < now() - $1 * interval '1 millisecond'
          LIMIT $2))`,
      [retentionMs, PURGE_BATCH],
    );
    deleted += rowCount ?? 0;
    if ((rowCount ?? 0) < PURGE_BATCH) return deleted;
  }
}
