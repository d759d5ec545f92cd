import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { describeSummary, type ScanSummary } from '../scan/analyzer.js';
import type { FinishedScan } from '../scan/scan-results.js';

/** What the report job writes: the latest finished scan, if there is one yet. */
export interface SummaryReport {
  writtenAt: string;
  source: string;
  scan: {
    finishedAt: string;
    durationMs: number;
    bytes: number;
    skippedFiles: number;
    headline: string;
    summary: ScanSummary;
  } | null;
}

/** The report for the latest scan (or none yet), stamped with the time of writing. */
export function buildReport(
  source: string,
  latest: FinishedScan | undefined,
  now: Date,
): SummaryReport {
  const scan =
    latest === undefined
      ? null
      : {
          finishedAt: latest.finishedAt.toISOString(),
          durationMs: latest.durationMs,
          bytes: latest.bytes,
          skippedFiles: latest.skippedFiles,
          headline: describeSummary(latest.summary),
          summary: latest.summary,
        };

  return { writtenAt: now.toISOString(), source, scan };
}

/** Writes the report as JSON; readers see the old file or the new one, never half of it. */
export async function writeReport(path: string, report: SummaryReport): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const partPath = `${path}.part`;
  await writeFile(partPath, `${JSON.stringify(report, null, 2)}\n`);
  await rename(partPath, path);
}

/** Reads a report back. @throws when the file is missing or is not a report. */
export async function readReport(path: string): Promise<SummaryReport> {
  const parsed: unknown = JSON.parse(await readFile(path, 'utf8'));
  if (!isReport(parsed)) throw new Error(`${path} is not a summary report`);
  return parsed;
}

function isReport(value: unknown): value is SummaryReport {
  if (typeof value !== 'object' || value === null) return false;

  const fields = value as Record<string, unknown>;
  return (
    typeof fields.writtenAt === 'string' &&
    typeof fields.source === 'string' &&
    (fields.scan === null || typeof fields.scan === 'object')
  );
}
