/** A figure with as many decimals as its size deserves; NaN and missing as a dash. */
export function formatNumber(value: number | boolean | undefined): string {
  if (typeof value === 'boolean') return value ? 'yes' : 'NO';
  if (value === undefined || !Number.isFinite(value)) return '–';
  const magnitude = Math.abs(value);
  if (magnitude >= 1_000) return Math.round(value).toLocaleString('en-US');
  if (magnitude >= 100) return value.toFixed(0);
  if (magnitude >= 10) return value.toFixed(1);

  return value.toFixed(2);
}

/** A ratio such as `0.81x`, or a dash when either side is missing or zero. */
export function formatRatio(value: number, reference: number): string {
  const ratio = value / reference;
  if (!Number.isFinite(ratio)) return '–';

  return `${ratio >= 100 ? ratio.toFixed(0) : ratio.toPrecision(2)}x`;
}

/** Pads columns to a common width: the first column left-aligned, the others right-aligned. */
export function formatTable(headers: readonly string[], rows: readonly string[][]): string {
  const widths = headers.map((header, column) =>
    Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, column) =>
        column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0),
      )
      .join('  ');
  const rule = widths.map((width) => '-'.repeat(width)).join('  ');

  return [line(headers), rule, ...rows.map(line)].join('\n');
}
