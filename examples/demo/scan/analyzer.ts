import type { LineAnalyzer } from './line-analyzer.js';
import { createTextAnalyzer, type TextSummary } from './text-analyzer.js';
import { createTzAnalyzer, type TzSummary } from './tz-analyzer.js';

/** What a finished scan found: tz records, or plain text statistics. */
export type ScanSummary = TzSummary | TextSummary;

/** Which reading of the input a scan makes. */
export type AnalyzerKind = ScanSummary['kind'];

/** A fresh analyzer of the given kind. */
export function createAnalyzer(kind: AnalyzerKind): LineAnalyzer<ScanSummary> {
  return kind === 'tz' ? createTzAnalyzer() : createTextAnalyzer();
}

/** One line that says what a summary found, for the screen and the report. */
export function describeSummary(summary: ScanSummary): string {
  if (summary.kind === 'tz') {
    const version = summary.version === undefined ? '' : `tz ${summary.version}: `;
    return (
      `${version}${summary.zones} zones (${summary.zonesWithDst} with DST rules today), ` +
      `${summary.links} links, ${summary.rules} rules in ${summary.ruleSets} sets`
    );
  }

  const top = summary.topWords.map(({ word, count }) => `${word} ${count}`).join(', ');
  return (
    `${summary.files} files, ${summary.lines} lines, ${summary.words} words` +
    (top === '' ? '' : `; most used: ${top}`)
  );
}
