import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { numberArray, textArray } from '../../../src/store/postgres/array-literal.js';
import { createTestDatabase, type TestDatabase } from '../../support/postgres-database.js';

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
});

afterAll(async () => {
  await db.drop();
});

/** What PostgreSQL reads from `literal` as an array of `type`. */
async function read(literal: string, type: string): Promise<unknown[]> {
  const { rows } = await db.sql.query<{ value: unknown[] }>(`SELECT $1::${type} AS value`, [
    literal,
  ]);
  return rows[0]?.value as unknown[];
}

describe('array parameters written as literals', () => {
  it('reach PostgreSQL as the same text elements, whatever they hold', async () => {
    const values = [
      'job-1',
      '',
      'a,b',
      '{braces}',
      'say "hi"',
      'back\\slash',
      '\\"',
      'NULL',
      ' padded ',
      'line\nbreak\ttab',
      'ünïcödé 🚀',
      null,
    ];
    expect(await read(textArray(values), 'text[]')).toEqual(values);
    expect(await read(textArray(['plain', 'ids']), 'text[]')).toEqual(['plain', 'ids']);
    expect(await read(textArray([]), 'text[]')).toEqual([]);
    expect(await read(textArray([null]), 'text[]')).toEqual([null]);
  });

  it('carry JSON documents to a jsonb array', async () => {
    const documents = ['{}', '{"a":"b \\" c","n":[1,2]}', '"text"', null];
    const { rows } = await db.sql.query<{ value: string | null }>(
      `SELECT d::text AS value FROM unnest($1::jsonb[]) AS d`,
      [textArray(documents)],
    );
    const parsed = (text: string | null): unknown => (text === null ? null : JSON.parse(text));
    expect(rows.map((row) => parsed(row.value))).toEqual(documents.map(parsed));
  });

  it('reach PostgreSQL as the same numbers, nulls included', async () => {
    const instants = [Date.UTC(2026, 11, 5, 4, 30), 0, -1, 1.5, null, 2 ** 53 - 1];
    expect(await read(numberArray(instants), 'float8[]')).toEqual(instants);
    const { rows } = await db.sql.query<{ value: string[] }>(`SELECT $1::bigint[] AS value`, [
      numberArray([1, 9_007_199_254_740_991, 0]),
    ]);
    expect(rows[0]?.value).toEqual(['1', '9007199254740991', '0']);
    expect(await read(numberArray([]), 'integer[]')).toEqual([]);
  });
});
