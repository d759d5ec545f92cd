import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ScanInput } from './scan/run-scan.js';

/** The IANA time zone database shipped in `examples/data`, which the demo scans by default. */
export const BUNDLED_DATA = fileURLToPath(new URL('../data/tzdata.zi', import.meta.url));

/** The bundled tz database as the scan's input; its label is relative to `cwd`. */
export function bundledInput(cwd: string): ScanInput {
  const label = `${relative(cwd, BUNDLED_DATA)} (IANA time zone database)`;
  return { label, paths: [BUNDLED_DATA], baseDir: dirname(BUNDLED_DATA), analyzer: 'tz' };
}

/**
 * A new folder in the system temp folder for this run's summary file, removed when the
 * process exits. Each run has its own, so the check job never reads a file an earlier
 * run left behind.
 */
export function freshOutDir(): string {
  const dir = mkdtempSync(`${tmpdir()}/orbit-demo-`);
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}
