import { describeThrown, OrbitError } from '../errors/orbit-error.js';

/**
 * The optional parts of Orbit the CLI loads only when asked for, by the package subpath
 * that ships each one. They are imported through this table, not by literal specifiers,
 * so a build without one of them still bundles and runs.
 */
const OPTIONAL_MODULES = {
  sqlite: { specifier: 'orbit-scheduler/sqlite', needs: 'the better-sqlite3 package (v12)' },
  postgres: { specifier: 'orbit-scheduler/postgres', needs: 'the pg package' },
  dashboard: { specifier: 'orbit-scheduler/dashboard', needs: 'nothing more' },
} as const;

/** A part of Orbit the CLI can load on demand. */
export type OptionalModule = keyof typeof OPTIONAL_MODULES;

/**
 * Imports an optional part of Orbit.
 *
 * @throws OrbitError `MODULE_LOAD_FAILED` saying what is missing.
 */
export async function loadOptional(name: OptionalModule): Promise<Record<string, unknown>> {
  const { specifier, needs } = OPTIONAL_MODULES[name];
  try {
    return (await import(specifier)) as Record<string, unknown>;
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
