import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeThrown, OrbitError } from '../errors/orbit-error.js';

/**
 * The optional parts of Orbit the CLI loads only when asked for, by the package subpath
 * that ships each one. They are imported through this table, not by literal specifiers,
 * so a build without one of them still bundles and runs.
 */
const OPTIONAL_MODULES = {
  sqlite: {
    specifier: 'orbit-scheduler/sqlite',
    source: '../store/sqlite/index.ts',
    needs: 'the better-sqlite3 package (v12)',
  },
  postgres: {
    specifier: 'orbit-scheduler/postgres',
    source: '../postgres.ts',
    needs: 'the pg package',
  },
  dashboard: {
    specifier: 'orbit-scheduler/dashboard',
    source: '../dashboard/index.ts',
    needs: 'nothing more',
  },
} as const;

/**
 * Whether this is the TypeScript source run through tsx (as in this repository's demo and
 * tests), not a build: the package's subpaths then name a build that may not exist, so the
 * optional parts load from their sources beside this file.
 */
const IS_SOURCE = extname(fileURLToPath(import.meta.url)) === '.ts';

/** A part of Orbit the CLI can load on demand. */
export type OptionalModule = keyof typeof OPTIONAL_MODULES;

/**
 * Imports an optional part of Orbit.
 *
 * @throws OrbitError `MODULE_LOAD_FAILED` saying what is missing.
 */
export async function loadOptional(name: OptionalModule): Promise<Record<string, unknown>> {
  const { specifier, source, needs } = OPTIONAL_MODULES[name];
  try {
    const target = IS_SOURCE ? new URL(source, import.meta.url).href : specifier;
    return (await import(target)) as Record<string, unknown>;
  } catch (error) {
    throw new OrbitError(
      'MODULE_LOAD_FAILED',
      `the ${name} module is not available: ${specifier} could not be loaded ` +
        `(${describeThrown(error)}); it needs this build of orbit-scheduler to include it ` +
        `and ${needs}`,
      { cause: error },
    );
  }
}
