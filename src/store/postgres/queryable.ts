import type pg from 'pg';

/** Something that runs one statement: a `pg.Pool` or a checked-out client. */
export type Queryable = Pick<pg.Pool, 'query'>;

/** A `timestamptz` column as epoch ms, `undefined` for NULL. */
export function toMs(value: Date | null | undefined): number | undefined {
  return value === null || value === undefined ? undefined : value.getTime();
}

/** Epoch ms as a `timestamptz` parameter, NULL for `undefined`. */
export function toTimestamp(ms: number | undefined): Date | null {
  return ms === undefined ? null : new Date(ms);
}

/** A `bigint` column, which `pg` hands over as a string, as a number (exact below 2^53). */
export function toCount(value: string | number): number {
  return typeof value === 'number' ? value : Number(value);
}
