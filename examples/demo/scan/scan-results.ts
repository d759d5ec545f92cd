import type { ScanSummary } from './analyzer.js';

/** A scan that ran to its end. */
export interface FinishedScan {
  /** What was scanned, for people. */
  source: string;
  summary: ScanSummary;
  finishedAt: Date;
  durationMs: number;
  bytes: number;
  /** Files left out because they look binary or cannot be read. */
  skippedFiles: number;
}

/**
 * Where the scan job leaves its latest result for the other jobs and the view. A job's own
 * data is wiped at the start of each run, so what must outlive a run lives here.
 */
export interface ScanResults {
  latest: FinishedScan | undefined;
}
