/**
 * Lines of a text table: each column as wide as its widest cell, two spaces between
 * columns, the last column left ragged.
 */
export function textTable(
  titles: readonly string[],
  cellRows: readonly (readonly string[])[],
): string[] {
  const rows = cellRows.map((row) => row.map(oneLine));
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

/** A cell on one row: line breaks and other control characters become one space. */
function oneLine(cell: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are what is replaced
  return cell.replace(/[\u0000-\u001f\u007f]+/g, ' ');
}

/** `line` cut to `width` characters, its end marked `…` when cut. */
export function fitWidth(line: string, width: number): string {
  return line.length <= width ? line : `${line.slice(0, Math.max(width - 1, 0))}…`;
}
