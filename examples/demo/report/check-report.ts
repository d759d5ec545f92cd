import { readReport } from './report-file.js';

/**
 * Reads the report file back and checks that it parses and was written at most `maxAgeMs`
 * before `nowMs`.
 * @throws an Error that says what is wrong.
 */
export async function checkReport(path: string, nowMs: number, maxAgeMs: number): Promise<void> {
  const report = await readReport(path).catch((error: unknown) => {
    const isMissing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    throw isMissing ? new Error('no summary file yet') : error;
  });

  const ageMs = nowMs - Date.parse(report.writtenAt);
  if (!(ageMs <= maxAgeMs)) {
    throw new Error(`summary file is stale: ${Math.round(ageMs / 1000)} s old`);
  }
}
