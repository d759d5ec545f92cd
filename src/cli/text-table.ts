/**
 * Lines of a text table: each column as wide as its widest cell, two spaces between
 * columns, the last column left ragged.
 */
export function textTable(
  titles: readonly string[],
  rows: readonly (readonly string[])[],
): string[] {
  const widths = titles.map((title, at) =>
    Math.max(title.length, ...rows.map((row) => (row[at] ?? '').length)),
  );
  const last = titles.length - 1;
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, at) => (at === last ? cell : cell.padEnd(widths[at] ?? 0)))
      .join('  ')
      .trimEnd();
  return [titles, ...rows].map(line);
}

/** `line` cut to `width` characters, its end marked `…` when cut. */
export function fitWidth(line: string, width: number): string {
  return line.length <= width ? line : `${line.slice(0, Math.max(width - 1, 0))}…`;
}
