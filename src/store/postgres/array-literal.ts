/**
 * Array parameters written as PostgreSQL array literals (`{"a","b"}`, `{1,NULL}`), for
 * statements that take one array per column of a batch. `pg` turns a JavaScript array
 * into the same text one element at a time, escaping each through several intermediate
 * strings; for a batch of a thousand run ends that was most of what a run allocated.
 * Here the common case (no null, nothing to escape) is one `join`.
 */

/** Characters that must be escaped inside a double-quoted array element. */
const NEEDS_ESCAPE = /["\\]/;
const ESCAPED = /["\\]/g;

/** A `text[]` (or `jsonb[]`) literal; `null` elements stay SQL nulls. */
export function textArray(values: readonly (string | null)[]): string {
  if (values.every((value) => value !== null && !NEEDS_ESCAPE.test(value))) {
    return values.length === 0 ? '{}' : `{"${values.join('","')}"}`;
  }
  const elements = values.map((value) =>
    value === null ? 'NULL' : `"${value.replace(ESCAPED, '\\$&')}"`,
  );
  return `{${elements.join(',')}}`;
}

/**
 * A numeric array literal (`bigint[]`, `integer[]`, `float8[]`); `null` elements stay
 * SQL nulls. Every number must be finite: PostgreSQL reads `NaN` only as a `float8`.
 */
export function numberArray(values: readonly (number | null)[]): string {
  if (values.every((value) => value !== null)) return `{${values.join(',')}}`;
  return `{${values.map((value) => (value === null ? 'NULL' : String(value))).join(',')}}`;
}
