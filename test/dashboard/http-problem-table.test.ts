import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { HTTP_PROBLEMS } from '../../src/dashboard/index.js';

const README = readFileSync(fileURLToPath(new URL('../../README.md', import.meta.url)), 'utf8');

/** Rows `| 403 | \`CODE\` | meaning |` of the README: code to status and meaning. */
function problemRows(markdown: string): Map<string, [number, string]> {
  const rows = new Map<string, [number, string]>();
  for (const line of markdown.split('\n')) {
    const match = /^\| (\d{3}) +\| `([A-Z_]+)` +\| (.+?) +\|$/.exec(line.trim());
    if (match) rows.set(match[2] ?? '', [Number(match[1]), match[3] ?? '']);
  }
  return rows;
}

describe("the README's table of dashboard answers", () => {
  it('lists every code of the catalogue with its status and meaning, and no other', () => {
    const rows = problemRows(README);

    const expected = Object.entries(HTTP_PROBLEMS).map(([code, [status, meaning]]) => [
      code,
      [status, meaning],
    ]);

    expect([...rows.entries()].sort()).toEqual(expected.sort());
  });
});
