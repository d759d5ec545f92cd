import { readFileSync } from 'node:fs';

const PACKAGE_NAME = 'orbit-scheduler';
/** How many folders up from this file the package root may be: src/cli, dist/cli, dist. */
const MAX_LEVELS_UP = 3;

/**
 * The version in this package's `package.json`, found by walking up from this file: the
 * source and the build sit at different depths, and the bundler may move this code.
 *
 * @returns `'unknown'` when no `package.json` of this package is found.
 */
export function packageVersion(): string {
  for (let level = 1; level <= MAX_LEVELS_UP; level++) {
    const url = new URL(`${'../'.repeat(level)}package.json`, import.meta.url);
    const found = readPackage(url);
    if (found?.name === PACKAGE_NAME && typeof found.version === 'string') return found.version;
  }
  return 'unknown';
}

function readPackage(url: URL): { name?: unknown; version?: unknown } | undefined {
  try {
    return JSON.parse(readFileSync(url, 'utf8')) as { name?: unknown; version?: unknown };
  } catch {
    return undefined;
  }
}
