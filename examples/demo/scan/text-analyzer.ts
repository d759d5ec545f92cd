import type { LineAnalyzer } from './line-analyzer.js';

/** What a scan of plain text files finds. */
export interface TextSummary {
  kind: 'text';
  files: number;
  lines: number;
  words: number;
  /** The longest line and where it is (line numbers count from 1). */
  longestLine: { file: string; line: number; length: number } | undefined;
  /** The five most frequent words of five letters or more, lower-cased, most first. */
  topWords: { word: string; count: number }[];
}

const TOP_WORDS = 5;
const WORD = /[\p{L}\p{N}_']+/gu;
const COUNTED_WORD = /^\p{L}{5,}$/u;

/** Counts lines and words of text files, and which words come up most. */
export function createTextAnalyzer(): LineAnalyzer<TextSummary> {
  const lineCounts = new Map<string, number>();
  const wordCounts = new Map<string, number>();
  let lines = 0;
  let words = 0;
  let longestLine: TextSummary['longestLine'];

  return {
    startFile(file) {
      lineCounts.set(file, 0);
    },
    addLine(line, file) {
      const lineNumber = (lineCounts.get(file) ?? 0) + 1;
      lineCounts.set(file, lineNumber);
      lines += 1;

      if (longestLine === undefined || line.length > longestLine.length) {
        longestLine = { file, line: lineNumber, length: line.length };
      }

      for (const [word] of line.matchAll(WORD)) {
        words += 1;
        const key = word.toLowerCase();
        if (COUNTED_WORD.test(key)) wordCounts.set(key, (wordCounts.get(key) ?? 0) + 1);
      }
    },
    finish() {
      const topWords = [...wordCounts]
        .sort(([wordA, a], [wordB, b]) => b - a || wordA.localeCompare(wordB))
        .slice(0, TOP_WORDS)
        .map(([word, count]) => ({ word, count }));

      return { kind: 'text', files: lineCounts.size, lines, words, longestLine, topWords };
    },
  };
}
