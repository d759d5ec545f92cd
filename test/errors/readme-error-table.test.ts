import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../src/index.js';

const README_PATH = fileURLToPath(new URL('../../README.md', import.meta.url));

/** Rows of every markdown table whose first cell is a code in backticks: code to the other cells. */
function codeRowsOf(markdown: string): Map<string, string[]> {
  const rows = new Map<string, string[]>();
  for (const line of markdown.split('\n')) {
    const cells = line.trim().replace(/^\|/, '').replace(/\|$/, '').split('|');
    const code = /^`([A-Z][A-Z0-9_]*)`$/.exec(cells[0]?.trim() ?? '')?.[1];
    if (line.trim().startsWith('|') && code !== undefined) {
      rows.set(
        code,
        cells.slice(1).map((cell) => cell.trim()),
      );
    }
  }

  return rows;
}

/** Markdown inline code and emphasis removed, spaces folded, so texts compare as prose. */
function plain(text: string): string {
  return text.replace(/[`*_]/g, '').replace(/\s+/g, ' ').trim();
}

describe('the README error table', () => {
  it('exists', () => {
    expect(existsSync(README_PATH)).toBe(true);
  });

  it('lists exactly the codes of the error catalogue', () => {
    const readme = existsSync(README_PATH) ? readFileSync(README_PATH, 'utf8') : '';

    const listed = [...codeRowsOf(readme).keys()].sort();

    expect(listed).toEqual(Object.keys(ERROR_CODES).sort());
  });

  it('repeats the meaning the catalogue gives each code', () => {
    const readme = existsSync(README_PATH) ? readFileSync(README_PATH, 'utf8') : '';
    const rows = codeRowsOf(readme);

    for (const [code, meaning] of Object.entries(ERROR_CODES)) {
      const row = rows.get(code)?.map(plain) ?? [];
      expect(row, `README row for ${code}`).toContain(plain(meaning));
    }
  });
});
